using TinierHar.Data.Download;

namespace TinierHar.Data;

/// <summary>
/// The 14 datasets of the paper plus UTD-MHAD, one <see cref="DatasetInfo"/> each (reference: <c>configs/data.yaml</c>,
/// <c>dataloaders/dataloader_*_har.py</c>; docs/reference.md section 4). Adding a dataset = one entry here, one entry in
/// <c>data/datasets.json</c> (+ one loader class when its file format is new).
/// </summary>
/// <remarks>
/// Each entry creates its loader by explicit construction (<see cref="DatasetInfo.LoaderFactory"/>); every loader is
/// compiled in. Download facts (key, folder, archive URL and name, checksum, marker) are not repeated here: each entry
/// takes its <see cref="DatasetInfo.Download"/> from <see cref="DownloadManifest.BuiltIn"/> (<c>data/datasets.json</c>,
/// embedded), so the registry and <c>tinierhar datasets download</c> cannot disagree. A test checks that the
/// registry and the manifest list the same keys in the same order.
/// </remarks>
public static class DatasetRegistry
{
    static readonly DatasetInfo[] _all = Build();
    static readonly Dictionary<string, DatasetInfo> _byKey = _all.ToDictionary(d => d.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>All datasets: the paper's 14 in the reference's alphabetical key order, then the extras.</summary>
    public static IReadOnlyList<DatasetInfo> All => _all;

    /// <summary>The paper's 14 datasets.</summary>
    public static IReadOnlyList<DatasetInfo> Paper => _all.Where(d => !d.Extra).ToArray();

    public static IReadOnlyList<string> Keys => _all.Select(d => d.Key).ToArray();

    public static bool TryGet(string key, out DatasetInfo info)
    {
        if (_byKey.TryGetValue(key, out var found)) { info = found; return true; }
        info = null!;
        return false;
    }

    /// <summary>Looks up a dataset by key (case-insensitive) or throws, listing the valid keys.</summary>
    public static DatasetInfo Get(string key) =>
        TryGet(key, out var info) ? info
            : throw new TinierHarException($"unknown dataset '{key}' (valid: {string.Join(", ", Keys)})");

    static DatasetDownload Manifest(string key) => DownloadManifest.BuiltIn.Get(key);

    static IReadOnlyList<int> Range(int from, int to) => Enumerable.Range(from, to - from + 1).ToArray();

    static IReadOnlyList<IReadOnlyList<int>> Singles(int from, int to) => Range(from, to).Select(s => (IReadOnlyList<int>)[s]).ToArray();

    static IReadOnlyList<IReadOnlyList<int>> Groups(params int[][] groups) => groups.Select(g => (IReadOnlyList<int>)g).ToArray();

    static IReadOnlyList<LabelEntry> Labels(params (int id, string name)[] entries) => entries.Select(e => new LabelEntry(e.id, e.name)).ToArray();

    static IReadOnlyList<LabelEntry> Sequential(int first, params string[] names) => names.Select((n, i) => new LabelEntry(first + i, n)).ToArray();

    /// <summary>Channel names "{sensor}_{axis}_{position}" for every position (outer) and sensor (inner).</summary>
    static IReadOnlyList<string> PerPosition(string[] sensors, string[] positions) =>
        positions.SelectMany(p => sensors.Select(s => $"{s}_{p}")).ToArray();

    const string CcBy4Uci = "CC BY 4.0 (UCI Machine Learning Repository)";

    static DatasetInfo[] Build() =>
    [
        new()
        {
            Download = Manifest("dg"), Name = "Daphnet Freezing of Gait",
            SamplingHz = 64, WindowSeconds = 4, WindowT = 256,
            ChannelNames = ["acc_x_ankle", "acc_y_ankle", "acc_z_ankle", "acc_x_leg", "acc_y_leg", "acc_z_leg", "acc_x_trunk", "acc_y_trunk", "acc_z_trunk"],
            LabelMap = Labels((0, "other"), (1, "no freeze"), (2, "freeze")),
            DroppedRawIds = [0],
            Subjects = Range(1, 10), Scheme = CvScheme.Locv, TestGroups = Singles(1, 10),
            Homepage = "https://archive.ics.uci.edu/dataset/245/daphnet+freezing+of+gait",
            Layout = "dataset_fog_release/dataset/SxxRyy.txt: 11 space-separated integer columns (time ms, ankle/thigh/trunk acc xyz in mg, annotation 0/1/2); 17 files, one block per file",
            License = CcBy4Uci,
            Citation = "M. Bächlin, M. Plotnik, D. Roggen, I. Maidan, J. M. Hausdorff, N. Giladi, G. Tröster. Wearable Assistant for Parkinson's Disease Patients With the Freezing of Gait Symptom. IEEE Trans. Inf. Technol. Biomed. 14(2):436-446, 2010.",
            Notes = ["annotation 0 (not part of the experiment) is dropped; its rows still count for normalisation"],
            LoaderFactory = () => new Loaders.DaphnetLoader(),
        },
        new()
        {
            Download = Manifest("dsads"), Name = "Daily and Sports Activities",
            SamplingHz = 25, WindowSeconds = 4, WindowT = 100,
            ChannelNames = PerPosition(["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z", "mag_x", "mag_y", "mag_z"], ["T", "RA", "LA", "RL", "LL"]),
            LabelMap = Sequential(1, "sitting", "standing", "lying on back", "lying on right side", "ascending stairs", "descending stairs",
                "standing in elevator", "moving in elevator", "walking in parking lot", "treadmill 4 km/h flat", "treadmill 4 km/h 15 deg",
                "running treadmill 8 km/h", "stepper", "cross trainer", "cycling horizontal", "cycling vertical", "rowing", "jumping", "basketball"),
            DroppedRawIds = [],
            Subjects = Range(1, 8), Scheme = CvScheme.Locv, TestGroups = Singles(1, 8),
            Homepage = "https://archive.ics.uci.edu/dataset/256/daily+and+sports+activities",
            Layout = "data/aXX/pY/sZZ.txt: 125 rows × 45 comma-separated floats (5 units × acc/gyro/mag xyz); raw id = XX (1-19); one block per 5-s segment file, so one window (its first 4 s) per segment",
            License = CcBy4Uci,
            Citation = "K. Altun, B. Barshan, O. Tunçel. Comparative study on classifying human activities with miniature inertial and magnetic sensors. Pattern Recognition 43(10):3605-3620, 2010.",
            Notes = ["reference quirk: used_cols lists column 42 twice and omits 43, so channel mag_y_LL duplicates mag_x_LL (ReferenceQuirks=false reads column 43)",
                     "the reference's label_map numbers the activities 0-18; here raw ids are the folder numbers 1-19 (same order)"],
            LoaderFactory = () => new Loaders.DsadsLoader(),
        },
        new()
        {
            Download = Manifest("hapt"), Name = "Smartphone-Based Recognition of Human Activities and Postural Transitions (HAPT)",
            SamplingHz = 50, WindowSeconds = 4, WindowT = 200,
            ChannelNames = ["acc_x_1", "acc_y_1", "acc_z_1", "gyro_x_2", "gyro_y_2", "gyro_z_2"],
            LabelMap = Sequential(0, "null", "walking", "upstairs", "downstairs", "sitting", "standing", "laying",
                "stand to sit", "sit to stand", "sit to lie", "lie to sit", "stand to lie", "lie to stand"),
            DroppedRawIds = [0],
            Subjects = Range(1, 30), Scheme = CvScheme.Locv,
            TestGroups = Groups([1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15], [16, 17, 18], [19, 20, 21], [22, 23, 24], [25, 26, 27], [28, 29, 30]),
            Homepage = "https://archive.ics.uci.edu/dataset/341/smartphone+based+recognition+of+human+activities+and+postural+transitions",
            Layout = "RawData/acc_expXX_userYY.txt and gyro_expXX_userYY.txt (3 space-separated floats) + RawData/labels.txt (exp, user, activity, start, end; inclusive); rows outside labelled segments get 0; one block per experiment",
            License = CcBy4Uci + "; the README asks for citation and excludes commercial use",
            Citation = "J.-L. Reyes-Ortiz, L. Oneto, A. Samà, X. Parra, D. Anguita. Transition-Aware Human Activity Recognition Using Smartphones. Neurocomputing 171:754-767, 2016.",
            Notes = ["unlabelled rows (0) are dropped as windows but count for normalisation"],
            LoaderFactory = () => new Loaders.HaptLoader(),
        },
        new()
        {
            Download = Manifest("mhealth"), Name = "MHEALTH",
            SamplingHz = 50, WindowSeconds = 4, WindowT = 200,
            ChannelNames = ["acc_chest_x", "acc_chest_y", "acc_chest_z", "ecg_lead_1", "ecg_lead_2",
                "acc_left_ankle_x", "acc_left_ankle_y", "acc_left_ankle_z", "gyro_left_ankle_x", "gyro_left_ankle_y", "gyro_left_ankle_z",
                "mag_left_ankle_x", "mag_left_ankle_y", "mag_left_ankle_z",
                "acc_right_lower_arm_x", "acc_right_lower_arm_y", "acc_right_lower_arm_z", "gyro_right_lower_arm_x", "gyro_right_lower_arm_y", "gyro_right_lower_arm_z",
                "mag_right_lower_arm_x", "mag_right_lower_arm_y", "mag_right_lower_arm_z"],
            LabelMap = Sequential(0, "null", "standing still", "sitting", "lying", "walking", "climbing stairs", "waist bends forward",
                "frontal elevation of arms", "knees bending", "cycling", "jogging", "running", "jump front and back"),
            DroppedRawIds = [0],
            Subjects = Range(1, 10), Scheme = CvScheme.Locv, TestGroups = Groups([1, 2], [3, 4], [5, 6], [7, 8], [9, 10]),
            Homepage = "https://archive.ics.uci.edu/dataset/319/mhealth+dataset",
            Layout = "MHEALTHDATASET/mHealth_subjectN.log: 24 tab-separated columns (23 signals incl. 2 ECG leads, label); linear interpolation both directions per file; one block per subject",
            License = CcBy4Uci,
            Citation = "O. Banos, R. Garcia, J. A. Holgado-Terriza, M. Damas, H. Pomares, I. Rojas, A. Saez, C. Villalonga. mHealthDroid: a novel framework for agile development of mobile health applications. IWAAL 2014, LNCS 8868:91-98.",
            Notes = ["the reference names the last two channels right_lower_arm_y/z (no mag_ prefix); fixed here, same columns"],
            LoaderFactory = () => new Loaders.MhealthLoader(),
        },
        new()
        {
            Download = Manifest("motionsense"), Name = "MotionSense (DeviceMotion)",
            SamplingHz = 50, WindowSeconds = 4, WindowT = 200,
            ChannelNames = ["attitude.roll", "attitude.pitch", "attitude.yaw", "gravity.x", "gravity.y", "gravity.z",
                "rotationRate.x", "rotationRate.y", "rotationRate.z", "userAcceleration.x", "userAcceleration.y", "userAcceleration.z"],
            LabelMap = Sequential(0, "downstairs", "upstairs", "sitting", "standing", "walking", "jogging"),
            DroppedRawIds = [],
            Subjects = Range(1, 24), Scheme = CvScheme.Locv,
            TestGroups = Groups([1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]),
            Homepage = "https://github.com/mmalekzadeh/motion-sense",
            Layout = "A_DeviceMotion_data/<act>_<trial>/sub_N.csv (index column + 12 signals); trials dws 1,2,11; ups 3,4,12; wlk 7,8,15; jog 9,16; sit 5,13; std 6,14; raw ids dws 0, ups 1, sit 2, std 3, wlk 4, jog 5; one block per (subject, activity, trial)",
            License = "MIT (LICENSE of github.com/mmalekzadeh/motion-sense)",
            Citation = "M. Malekzadeh, R. G. Clegg, A. Cavallaro, H. Haddadi. Mobile Sensor Data Anonymization. IoTDI '19, pp. 49-58, 2019.",
            LoaderFactory = () => new Loaders.MotionSenseLoader(),
        },
        new()
        {
            Download = Manifest("oppo"), Name = "OPPORTUNITY Activity Recognition",
            SamplingHz = 30, WindowSeconds = 4, WindowT = 120,
            ChannelNames = [.. PerPosition(["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z", "magnetic_x", "magnetic_y", "magnetic_z"], ["IBack", "IRUA", "IRLA", "ILUA", "ILLA"]),
                .. PerPosition(["EU_x", "EU_y", "EU_z", "acc_x_Nav", "acc_y_Nav", "acc_z_Nav", "acc_x_body", "acc_y_body", "acc_z_body",
                    "AngVel_x_body", "AngVel_y_body", "AngVel_z_body", "AngVel_x_Nav", "AngVel_y_Nav", "AngVel_z_Nav", "Compass_none"], ["LSHOE", "RSHOE"])],
            LabelMap = Labels((0, "null"), (406516, "open door 1"), (406517, "open door 2"), (404516, "close door 1"), (404517, "close door 2"),
                (406520, "open fridge"), (404520, "close fridge"), (406505, "open dishwasher"), (404505, "close dishwasher"),
                (406519, "open drawer 1"), (404519, "close drawer 1"), (406511, "open drawer 2"), (404511, "close drawer 2"),
                (406508, "open drawer 3"), (404508, "close drawer 3"), (408512, "clean table"), (407521, "drink from cup"), (405506, "toggle switch")),
            DroppedRawIds = [],
            Subjects = Range(1, 4), Scheme = CvScheme.Locv, TestGroups = Singles(1, 4),
            Homepage = "https://archive.ics.uci.edu/dataset/226/opportunity+activity+recognition",
            Layout = "OpportunityUCIDataset/dataset/S{1-4}-ADL{1-5}.dat and S{1-4}-Drill.dat (250 space-separated columns); columns 37-45, 50-58, 63-71, 76-84, 89-97 (IMU acc/gyro/mag), 102-133 (shoes); label column 249 (ML_Both_Arms); linear interpolation both directions per file; one block per file",
            License = CcBy4Uci,
            Citation = "D. Roggen et al. Collecting complex activity datasets in highly rich networked sensor environments. INSS 2010; R. Chavarriaga et al. The Opportunity challenge. Pattern Recognition Letters 34(15):2033-2042, 2013.",
            Notes = ["Null is kept as a class", "the label map is not in ascending raw-id order: window-label ties follow label-map order as in the reference"],
            LoaderFactory = () => new Loaders.OpportunityLoader(),
        },
        new()
        {
            Download = Manifest("pamap2"), Name = "PAMAP2 Physical Activity Monitoring",
            SamplingHz = 33, WindowSeconds = 4, WindowT = 132,
            ChannelNames = PerPosition(["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"], ["hand", "chest", "ankle"]),
            LabelMap = Labels((0, "other"), (1, "lying"), (2, "sitting"), (3, "standing"), (4, "walking"), (5, "running"), (6, "cycling"),
                (7, "nordic walking"), (12, "ascending stairs"), (13, "descending stairs"), (16, "vacuum cleaning"), (17, "ironing"), (24, "rope jumping")),
            DroppedRawIds = [0],
            Subjects = Range(1, 9), Scheme = CvScheme.Locv, TestGroups = Singles(1, 9),
            Homepage = "https://archive.ics.uci.edu/dataset/231/pamap2+physical+activity+monitoring",
            Layout = "PAMAP2_Dataset/Protocol/subject10N.dat (54 space-separated columns); label column 1; acc ±16 g (cols 4-6, 21-23, 38-40) and gyro (10-12, 27-29, 44-46); linear interpolation per file, then every 3rd row of the concatenated frame; one block per subject",
            License = CcBy4Uci,
            Citation = "A. Reiss, D. Stricker. Introducing a New Benchmarked Dataset for Activity Monitoring. ISWC 2012.",
            Notes = ["100 Hz recorded, 1-in-3 downsampling (≈33.3 Hz); the yaml says 33, so T = int(4 × 33) = 132",
                     "the reference downsamples the concatenation of all files, so a file's phase depends on the lengths of the files before it"],
            LoaderFactory = () => new Loaders.Pamap2Loader(),
        },
        new()
        {
            Download = Manifest("recgym"), Name = "RecGym (wrist)",
            SamplingHz = 20, WindowSeconds = 4, WindowT = 80,
            ChannelNames = ["A_x", "A_y", "A_z", "G_x", "G_y", "G_z", "C_1"],
            LabelMap = Sequential(0, "Adductor", "ArmCurl", "BenchPress", "LegCurl", "LegPress", "Null", "Riding", "RopeSkipping",
                "Running", "Squat", "StairClimber", "Walking"),
            DroppedRawIds = [],
            Subjects = Range(1, 10), Scheme = CvScheme.Locv, TestGroups = Singles(1, 9),
            Homepage = "https://zhaxidele.github.io/RecGym/",
            Layout = "RecGym.csv (Subject, Position, Session, A_x, A_y, A_z, G_x, G_y, G_z, C_1, Workout); wrist rows only, dropna; raw id = position of Workout in the label map; one block per contiguous run of one subject",
            License = "see the dataset page",
            Citation = "S. Bian, V. Fortes Rey, S. Yuan, P. Lukowicz. Hybrid CNN-Dilated Self-attention Model Using Inertial and Body-Area Electrostatic Sensing for Gym Workout Recognition, Counting, and User Authentification. 2025.",
            Notes = ["Null is kept as a class", "reference: LOCV over subjects 1-9 only; subject 10 is always a training subject"],
            LoaderFactory = () => new Loaders.RecGymLoader(),
        },
        new()
        {
            Download = Manifest("rw"), Name = "RealWorld HAR (2016)",
            SamplingHz = 50, WindowSeconds = 4, WindowT = 200,
            ChannelNames = PerPosition(["acc_x", "acc_y", "acc_z"], ["chest", "forearm", "head", "shin", "thigh", "upperarm", "waist"]),
            LabelMap = Sequential(0, "climbingdown", "climbingup", "jumping", "lying", "running", "sitting", "standing", "walking"),
            DroppedRawIds = [],
            Subjects = Range(1, 15), Scheme = CvScheme.Locv, TestGroups = Singles(1, 15),
            Homepage = "https://www.uni-mannheim.de/dws/research/projects/activity-recognition/dataset/dataset-realworld/",
            Layout = "probandN/data/acc_<activity>_csv.zip (one CSV per body position; some zips nest zips, the largest-named inner zip is used); each position resampled to 20 ms means + linear interpolation, positions outer-merged, dropna; one block per (subject, activity)",
            License = "see the dataset page",
            Citation = "T. Sztyler, H. Stuckenschmidt. On-body Localization of Wearable Devices: An Investigation of Position-Aware Activity Recognition. PerCom 2016.",
            LoaderFactory = () => new Loaders.RealWorldLoader(),
        },
        new()
        {
            Download = Manifest("sho"), Name = "Shoaib et al. (UTwente) smartphone motion sensors",
            SamplingHz = 50, WindowSeconds = 4, WindowT = 200,
            ChannelNames = PerPosition(["acc_x", "acc_y", "acc_z", "lacc_x", "lacc_y", "lacc_z", "Gyro_x", "Gyro_y", "Gyro_z", "mag_x", "mag_y", "mag_z"],
                ["Left_pocket", "Right_pocket", "Wrist", "Upper_arm", "Belt"]),
            LabelMap = Sequential(0, "walking", "standing", "jogging", "sitting", "biking", "upstairs", "downstairs"),
            DroppedRawIds = [],
            Subjects = Range(1, 10), Scheme = CvScheme.Locv, TestGroups = Groups([1, 2], [3, 4], [5, 6], [7, 8], [9, 10]),
            Homepage = "https://www.utwente.nl/en/eemcs/ps/research/dataset/",
            Layout = "DataSet/Participant_N.csv (2 header rows; per position 14 columns: time, acc, linear acc, gyro, mag xyz; label last); 'upsatirs' typo mapped to upstairs; linear interpolation per file; one block per subject",
            License = "see the dataset page",
            Citation = "M. Shoaib, S. Bosch, O. D. Incel, H. Scholten, P. J. M. Havinga. Fusion of Smartphone Motion Sensors for Physical Activity Recognition. Sensors 14(6):10146-10176, 2014.",
            LoaderFactory = () => new Loaders.ShoLoader(),
        },
        new()
        {
            Download = Manifest("skodar"), Name = "Skoda Mini Checkpoint (right arm)",
            SamplingHz = 33, WindowSeconds = 4, WindowT = 132,
            ChannelNames = Range(1, 10).SelectMany(i => new[] { $"acc_x_{i}", $"acc_y_{i}", $"acc_z_{i}" }).ToArray(),
            LabelMap = Labels((32, "null"), (48, "write on notepad"), (49, "open hood"), (50, "close hood"), (51, "check gaps front door"),
                (52, "open left front door"), (53, "close left front door"), (54, "close both left doors"), (55, "check trunk gaps"),
                (56, "open and close trunk"), (57, "check steering wheel")),
            DroppedRawIds = [32],
            Subjects = [1], Scheme = CvScheme.Socv, TestGroups = [], SocvFolds = 5,
            Homepage = "http://har-dataset.org/doku.php?id=wiki:dataset",
            Layout = "SkodaMiniCP_2015_08/right_classall_clean.mat: label + 10 sensors × (id, calibrated xyz, raw xyz); calibrated xyz used; every 3rd row; single block, subject 1",
            License = "see the dataset page",
            Citation = "P. Zappi, C. Lombriser, T. Stiefmeier, E. Farella, D. Roggen, L. Benini, G. Tröster. Activity recognition from on-body sensors: accuracy-power trade-off by dynamic sensor selection. EWSN 2008.",
            Notes = ["≈98 Hz recorded, 1-in-3 downsampling; the yaml says 33, so T = 132",
                     "SOCV: 5 folds over a shuffle of all (overlapping) windows; normalisation fitted once on the whole recording"],
            LoaderFactory = () => new Loaders.SkodaLoader(),
        },
        new()
        {
            Download = Manifest("uci"), Name = "UCI HAR (Human Activity Recognition Using Smartphones)",
            SamplingHz = 50, WindowSeconds = 2.56, WindowT = 128,
            ChannelNames = ["body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x", "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z"],
            LabelMap = Sequential(1, "walking", "upstairs", "downstairs", "sitting", "standing", "laying"),
            DroppedRawIds = [],
            Subjects = Range(1, 30), Scheme = CvScheme.Locv,
            TestGroups = Groups([1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15], [16, 17, 18], [19, 20, 21], [22, 23, 24], [25, 26, 27], [28, 29, 30]),
            Homepage = "https://archive.ics.uci.edu/dataset/240/human+activity+recognition+using+smartphones",
            Layout = "UCI HAR Dataset/{train,test}/Inertial Signals/<signal>_{train,test}.txt (128 values per row) + subject_{train,test}.txt + y_{train,test}.txt; one block per pre-cut 128-sample segment (10,299 windows)",
            License = CcBy4Uci + "; the README asks for citation and excludes commercial use",
            Citation = "D. Anguita, A. Ghio, L. Oneto, X. Parra, J. L. Reyes-Ortiz. A Public Domain Dataset for Human Activity Recognition Using Smartphones. ESANN 2013.",
            Notes = ["window 2.56 s in the code (the paper reportedly says 4 s everywhere)"],
            LoaderFactory = () => new Loaders.UciHarLoader(),
        },
        new()
        {
            Download = Manifest("uschad"), Name = "USC-HAD",
            SamplingHz = 100, WindowSeconds = 4, WindowT = 400,
            ChannelNames = ["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"],
            LabelMap = Sequential(1, "walking forward", "walking left", "walking right", "walking upstairs", "walking downstairs",
                "running forward", "jumping up", "sitting", "standing", "sleeping", "elevator up", "elevator down"),
            DroppedRawIds = [],
            Subjects = Range(1, 14), Scheme = CvScheme.Locv, TestGroups = Groups([1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14]),
            Homepage = "https://sipi.usc.edu/had/",
            Layout = "SubjectN/aMtK.mat (MATLAB 5 file, field sensor_readings N×6: acc g, gyro dps); raw id = M from the file name; one block per (subject, activity, trial)",
            License = "none stated in the files; USC SIPI asks users to cite the paper",
            Citation = "M. Zhang, A. A. Sawchuk. USC-HAD: A Daily Activity Dataset for Ubiquitous Activity Recognition Using Wearable Sensors. UbiComp 2012 Workshop SAGAware.",
            LoaderFactory = () => new Loaders.UscHadLoader(),
        },
        new()
        {
            Download = Manifest("wisdm"), Name = "WISDM Activity Prediction v1.1",
            SamplingHz = 20, WindowSeconds = 4, WindowT = 80,
            ChannelNames = ["acc_x", "acc_y", "acc_z"],
            LabelMap = Sequential(0, "walking", "jogging", "sitting", "standing", "upstairs", "downstairs"),
            DroppedRawIds = [],
            Subjects = Range(1, 36), Scheme = CvScheme.Locv,
            TestGroups = Groups([1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24], [25, 26, 27], [28, 29, 30], [31, 32, 33], [34, 35, 36]),
            Homepage = "https://www.cis.fordham.edu/wisdm/dataset.php",
            Layout = "WISDM_ar_v1.1/WISDM_ar_v1.1_raw.txt ('user,activity,timestamp,x,y,z;' lines; the reference reads a repaired copy); trailing ';' stripped, dropna; raw ids Walking 0, Jogging 1, Sitting 2, Standing 3, Upstairs 4, Downstairs 5; one block per contiguous run of one user",
            License = "see the WISDM lab page (cite the paper)",
            Citation = "J. R. Kwapisz, G. M. Weiss, S. A. Moore. Activity Recognition using Cell Phone Accelerometers. SIGKDD Explorations 12(2):74-82, 2010.",
            Notes = ["the reference's datasets/readme links the 2019 WISDM smartphone/smartwatch set, but its loader reads v1.1"],
            LoaderFactory = () => new Loaders.WisdmLoader(),
        },
        new()
        {
            Download = Manifest("utdmhad"), Name = "UTD-MHAD (inertial)", Extra = true,
            SamplingHz = 50, WindowSeconds = 2, WindowT = 100,
            ChannelNames = ["acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"],
            LabelMap = Sequential(1, "right arm swipe to the left", "right arm swipe to the right", "right hand wave", "two hand front clap",
                "right arm throw", "cross arms in the chest", "basketball shoot", "right hand draw x", "right hand draw circle (clockwise)",
                "right hand draw circle (counter clockwise)", "draw triangle", "bowling (right hand)", "front boxing", "baseball swing from right",
                "tennis right hand forehand swing", "arm curl (two arms)", "tennis serve", "two hand push", "right hand knock on door",
                "right hand catch an object", "right hand pick up and throw", "jogging in place", "walking in place", "sit to stand",
                "stand to sit", "forward lunge (left foot forward)", "squat (two arms stretch out)"),
            DroppedRawIds = [],
            Subjects = Range(1, 8), Scheme = CvScheme.Locv, TestGroups = Groups([1, 2], [3, 4], [5, 6], [7, 8]),
            Homepage = "https://personal.utdallas.edu/~kehtar/UTD-MHAD.html",
            Layout = "Inertial/aA_sS_tT_inertial.mat (MATLAB 5 file, variable d_iner N×6, N 107-326); raw id = A; one block per (subject, action, trial)",
            License = "none stated in the files; the dataset page asks users to cite the paper",
            Citation = "C. Chen, R. Jafari, N. Kehtarnavaz. UTD-MHAD: A Multimodal Dataset for Human Action Recognition Utilizing a Depth Camera and a Wearable Inertial Sensor. ICIP 2015, pp. 168-172.",
            Notes = ["not one of the paper's 14; the reference's utd_mhad_w (4 s, T=200) drops actions 1-21 (wrist) keeping 6 thigh actions, and its LOCV_keys [[1,2],[3,4],[4,6],[7,8]] never test subject 5",
                     "chosen here: all 27 actions (K=27), 2-s windows (T=100, so every trial of 107-326 samples gives at least one window), folds [1,2],[3,4],[5,6],[7,8]"],
            LoaderFactory = () => new Loaders.UtdMhadLoader(),
        },
    ];
}
