#!/usr/bin/env python3
"""Writes the wide fixture files (too many columns to type) for the loader tests.

Every value is a simple formula of its column and row, so the tests can check which file column ended up in
which channel: unless stated otherwise, the value in 0-based column c of data row r is c + r/1000 (OPPORTUNITY,
PAMAP2), c + r/100 (MHEALTH, Shoaib). Selected cells are left empty or written as NaN to exercise the NaN
handling; the tests list them. Run from this folder: python3 make_fixtures.py (deterministic, no randomness).
"""
import os


def write(path, lines, newline="\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        for line in lines:
            f.write(line + newline)


def num(c, r, scale):
    return f"{c + r / scale:.4f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- OPPORTUNITY: 250 space-separated columns
OPPO_LABELS = {  # ML_Both_Arms (0-based column 249) per row, per file
    "S1-ADL1": [0, 0, 406516, 406516, 406516, 404516, 0, 408512],
    "S1-Drill": [407521, 407521, 0, 405506, 405506],
    "S2-ADL1": [0, 406520, 404520, 0],
}
OPPO_NAN = {"S1-ADL1": {(0, 37), (1, 37), (3, 50), (4, 50), (6, 133), (7, 133), (2, 1), (5, 200)}}
for name, labels in OPPO_LABELS.items():
    lines = []
    for r, lab in enumerate(labels):
        fields = []
        for c in range(250):
            if c == 0:
                fields.append(str(r * 33))  # MILLISEC
            elif c == 249:
                fields.append(str(lab))
            elif 243 <= c <= 248:
                fields.append("0")  # the other label columns
            elif (r, c) in OPPO_NAN.get(name, ()):
                fields.append("NaN")
            else:
                fields.append(num(c, r, 1000))
        lines.append(" ".join(fields))
    write(f"Opportunity/OpportunityUCIDataset/dataset/{name}.dat", lines)

# ---------------------------------------------------------------- PAMAP2: 54 space-separated columns
PAMAP_LABELS = {
    "subject101": [0, 0, 1, 1, 1, 2, 2, 0, 24, 24],
    "subject102": [3, 3, 3, 0, 0, 4, 4, 4],
}
PAMAP_NAN = {"subject101": {(0, 4), (3, 21), (4, 21), (9, 46)}}
for name, labels in PAMAP_LABELS.items():
    lines = []
    for r, lab in enumerate(labels):
        fields = []
        for c in range(54):
            if c == 0:
                fields.append(f"{8.38 + r * 0.01:.2f}")
            elif c == 1:
                fields.append(str(lab))
            elif c == 2:
                fields.append("104" if r == 0 else "NaN")  # heart rate, ~9 Hz in the real files
            elif (r, c) in PAMAP_NAN.get(name, ()):
                fields.append("NaN")
            else:
                fields.append(num(c, r, 1000))
        lines.append(" ".join(fields))
    write(f"PAMAP2/PAMAP2_Dataset/Protocol/{name}.dat", lines)

# ---------------------------------------------------------------- MHEALTH: 24 tab-separated columns
MH_LABELS = {1: [0, 1, 1, 1, 0, 12], 2: [0, 5, 5, 0]}
MH_NAN = {1: {(0, 3): "", (2, 10): "NaN", (5, 22): ""}}
for s, labels in MH_LABELS.items():
    lines = []
    for r, lab in enumerate(labels):
        fields = [MH_NAN.get(s, {}).get((r, c), num(c, r, 100)) for c in range(23)] + [str(lab)]
        lines.append("\t".join(fields))
    write(f"MHEALTH/MHEALTHDATASET/mHealth_subject{s}.log", lines)

# ---------------------------------------------------------------- Shoaib: 2 header rows, 70 comma-separated columns
POS = ["Left_pocket", "Right_pocket", "Wrist", "Upper_arm", "Belt"]
COLS = ["time_stamp", "Ax", "Ay", "Az", "Lx", "Ly", "Lz", "Gx", "Gy", "Gz", "Mx", "My", "Mz"]
SHO_LABELS = {1: ["walking", "walking", "upsatirs", "upsatirs", "downstairs", "sitting"],
              2: ["standing", "jogging", "biking", "upstairs"]}
SHO_EMPTY = {1: {(0, 1), (2, 15), (5, 68)}}
for p, labels in SHO_LABELS.items():
    head1 = ",".join(",".join([POS[g]] + [""] * 13) for g in range(5))
    head2 = ",".join(",".join(COLS + ["" if g < 4 else "Activity_Label"]) for g in range(5))
    lines = [head1, head2]
    for r, lab in enumerate(labels):
        fields = []
        for c in range(70):
            g, k = divmod(c, 14)
            if c == 69:
                fields.append(lab)
            elif k == 13:
                fields.append("")
            elif k == 0:
                fields.append(str(1386000000000 + 20 * r))
            elif (r, c) in SHO_EMPTY.get(p, ()):
                fields.append("")
            else:
                fields.append(num(c, r, 100))
        lines.append(",".join(fields))
    write(f"Shoaib/DataSet/Participant_{p}.csv", lines, newline="\r\n")

# ---------------------------------------------------------------- UCI-HAR Inertial Signals: 128 values per line
SIGNALS = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z",
           "total_acc_x", "total_acc_y", "total_acc_z"]
for part, windows in (("train", 3), ("test", 2)):
    for s, sig in enumerate(SIGNALS):
        lines = []
        for w in range(windows):
            # value = signal index + window/10 + t/10000, printed as the original does (%.7e, blank-padded)
            lines.append("".join(f"{s + w / 10 + t / 10000:16.7e}" for t in range(128)))
        write(f"UCI-HAR/UCI HAR Dataset/{part}/Inertial Signals/{sig}_{part}.txt", lines)

# ---------------------------------------------------------------- RealWorld: session zips (zipped by the tests)
T2 = 1436000000000
for session, rows, base in (("2", 3, 2.0), ("3", 5, 3.0)):
    for i, pos in enumerate(["chest", "forearm", "head", "shin", "thigh", "upperarm", "waist"]):
        lines = ["id,attr_time,attr_x,attr_y,attr_z"]
        for k in range(rows):
            lines.append(f"{k + 1},{T2 + 20 * k + 1},{base + k},{base + i},{-k}")
        write(f"RealWorld/zip-sources/proband2/data/acc_climbingdown_csv/acc_climbingdown_{session}_csv/"
              f"acc_climbingdown_{session}_{pos}.csv", lines)
