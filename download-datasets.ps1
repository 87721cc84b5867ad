#!/usr/bin/env pwsh
<#
.SYNOPSIS
Downloads the HAR datasets used by TinierHar from their official sources into the data folder.

.DESCRIPTION
Usage:
  dotnet tool restore
  dotnet pwsh download-datasets.ps1 [-Datasets KEY[,KEY...]] [-Data DIR] [-Source DIR_OR_URL]
                                    [-Manifest FILE] [-List] [-Help]

  -Datasets  Comma list (or array) of dataset keys; default (or "all"): every dataset in the manifest.
  -Data      Data folder. Default: $env:TINIERHAR_DATA, else data/ next to this script.
  -Source    Take archives from a local folder, or from a mirror base URL, instead of the official
             URLs. The archive's file name (the manifest's "archive") is appended.
  -Manifest  Dataset manifest (JSON). Default: data/datasets.json next to this script.
  -List      Print the datasets and whether each one is present; download nothing.

What it does, per dataset:
  - marker present (the manifest's "marker", relative to the data folder) -> "already present", nothing downloaded;
  - otherwise the archive is taken from <data>/<archive> if it is already there, else from -Source, else
    downloaded from "url" into <data>/<archive>.partial (resumed with an HTTP Range request when the
    .partial exists; a server that ignores the range makes it start over), then renamed to <data>/<archive>;
  - the SHA-256 is verified when the manifest has one (a mismatch deletes the download);
  - the archive (.zip, or .tar.gz with tar) is extracted into a temporary folder inside the data folder and
    renamed into place, so a failed or truncated archive never leaves a half-extracted dataset;
  - a dataset without an automatic source ("manual") prints what to download by hand and where to put it.

Exit codes: 0 every requested dataset is present at the end; 1 some failed or need manual steps;
2 bad arguments or manifest (an unknown key lists the valid keys).
#>

# No param() block on purpose: a parameter binding error ("Missing an argument for parameter ...")
# would exit 1 before any of this code ran, and bad arguments must exit 2 with a one-line message.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$script:ExitOk = 0
$script:ExitFailed = 1
$script:ExitUsage = 2
$script:IdleTimeoutSeconds = 60

function Write-Out([string] $Text) { [Console]::Out.WriteLine($Text) }

# The message of an error record, without PowerShell's 'Exception calling "X" with "n" argument(s)' wrapper.
function Get-ErrorText($Record) {
    $e = if ($Record -is [System.Management.Automation.ErrorRecord]) { $Record.Exception } else { $Record }
    while ($e -is [System.Management.Automation.MethodInvocationException] -and $null -ne $e.InnerException) { $e = $e.InnerException }
    return $e.Message
}
function Write-Fail([string] $Text) { [Console]::Error.WriteLine("error: $Text") }

function Exit-Usage([string] $Text) {
    Write-Fail $Text
    [Console]::Error.WriteLine('usage: download-datasets.ps1 [-Datasets KEY[,KEY...]] [-Data DIR] [-Source DIR_OR_URL] [-Manifest FILE] [-List]')
    exit $script:ExitUsage
}

function Show-Usage {
    Write-Out @'
download-datasets.ps1 - download the TinierHar datasets into the data folder

  dotnet tool restore
  dotnet pwsh download-datasets.ps1 [-Datasets KEY[,KEY...]] [-Data DIR] [-Source DIR_OR_URL] [-Manifest FILE] [-List]

  -Datasets  comma list of dataset keys (default: all)
  -Data      data folder (default: $env:TINIERHAR_DATA, else data/ next to this script)
  -Source    local folder or mirror base URL holding the archives (by their manifest "archive" name)
  -Manifest  dataset manifest (default: data/datasets.json next to this script)
  -List      show the datasets and whether each is present

Exit codes: 0 all requested datasets present, 1 some failed or need manual steps, 2 bad arguments.
'@
}

# ---------------------------------------------------------------- arguments

function Read-Arguments([object[]] $Raw) {
    $opt = [ordered]@{ Datasets = [System.Collections.Generic.List[string]]::new(); Data = $null; Source = $null; Manifest = $null; List = $false; Help = $false }
    # From another PowerShell session "-Datasets a,b" arrives as an array: flatten it.
    $flat = [System.Collections.Generic.List[string]]::new()
    foreach ($a in $Raw) { foreach ($x in @($a)) { $flat.Add([string]$x) } }
    $valued = @{ datasets = 'Datasets'; data = 'Data'; source = 'Source'; manifest = 'Manifest' }
    $i = 0
    while ($i -lt $flat.Count) {
        $token = $flat[$i]
        if ($token -notmatch '^--?([A-Za-z?]+)(?::(.*))?$') { Exit-Usage "unexpected argument '$token'" }
        $name = $Matches[1].ToLowerInvariant()
        $inline = $Matches[2]
        $i++
        if ($name -in 'list', 'help', 'h', '?') {
            if ($name -eq 'list') { $opt.List = $true } else { $opt.Help = $true }
            continue
        }
        if (-not $valued.ContainsKey($name)) { Exit-Usage "unknown parameter '$token' (known: -Datasets, -Data, -Source, -Manifest, -List)" }
        $param = $valued[$name]
        $values = [System.Collections.Generic.List[string]]::new()
        if ($null -ne $inline -and $inline -ne '') { $values.Add($inline) }
        else {
            # -Datasets also takes several space-separated values ("-Datasets uschad hapt").
            while ($i -lt $flat.Count -and -not ($flat[$i] -match '^--?[A-Za-z?]+(:.*)?$')) {
                $values.Add($flat[$i]); $i++
                if ($param -ne 'Datasets') { break }
            }
        }
        if (@($values | Where-Object { $_.Trim() -ne '' }).Count -eq 0) { Exit-Usage "missing a value for -$param" }
        if ($param -eq 'Datasets') {
            foreach ($v in $values) { foreach ($k in ($v -split '[,;\s]+')) { if ($k -ne '') { $opt.Datasets.Add($k.ToLowerInvariant()) } } }
        } else {
            if ($null -ne $opt[$param]) { Exit-Usage "-$param given twice" }
            $opt[$param] = $values[0]
        }
    }
    return $opt
}

# ---------------------------------------------------------------- manifest

function Get-Prop($Object, [string] $Name) {
    $p = $Object.PSObject.Properties[$Name]
    if ($null -eq $p) { return $null }
    return $p.Value
}

function Test-IsUrl([string] $Text) { return $Text -match '^(?i)https?://' }

function Get-ArchiveKind([string] $FileName) {
    if ($FileName -match '(?i)\.zip$') { return 'zip' }
    if ($FileName -match '(?i)\.(tar\.gz|tgz)$') { return 'tar.gz' }
    return $null
}

function Read-Manifest([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { Exit-Usage "manifest not found: $Path" }
    try { $items = @(Get-Content -LiteralPath $Path -Raw -Encoding utf8 | ConvertFrom-Json) }
    catch { Exit-Usage "manifest $Path is not valid JSON: $(Get-ErrorText $_)" }
    if ($items.Count -eq 0) { Exit-Usage "manifest $Path lists no dataset" }

    $entries = [System.Collections.Generic.List[object]]::new()
    $seen = @{}
    $n = 0
    foreach ($it in $items) {
        $n++
        if ($it -isnot [System.Management.Automation.PSCustomObject]) { Exit-Usage "manifest $Path, entry #${n}: not a JSON object" }
        $key = [string](Get-Prop $it 'key')
        $where = "manifest $Path, entry #$n ($key)"
        if ($key -notmatch '^[a-z0-9][a-z0-9_-]*$') { Exit-Usage "${where}: 'key' must be lower-case letters, digits, '-' or '_'" }
        if ($seen.ContainsKey($key)) { Exit-Usage "${where}: duplicate key" }
        $seen[$key] = $true
        $folder = [string](Get-Prop $it 'folder')
        if ($folder -eq '' -or $folder -match '[\\/]' -or $folder -in '.', '..') { Exit-Usage "${where}: 'folder' must be one plain folder name" }
        $marker = [string](Get-Prop $it 'marker')
        if (-not $marker.StartsWith("$folder/") -or $marker.Length -le $folder.Length + 1 -or $marker -match '(^|/)\.\.(/|$)' -or $marker.Contains('\')) {
            Exit-Usage "${where}: 'marker' must be a path below '$folder/' written with '/'"
        }
        $extract = [string](Get-Prop $it 'extract')
        if ($extract -eq '') { $extract = 'into-folder' }
        if ($extract -notin 'into-folder', 'into-data') { Exit-Usage "${where}: 'extract' must be 'into-folder' or 'into-data'" }
        $archive = [string](Get-Prop $it 'archive')
        $url = [string](Get-Prop $it 'url')
        $manual = [string](Get-Prop $it 'manual')
        $sha = ([string](Get-Prop $it 'sha256')).ToLowerInvariant()
        if ($archive -ne '') {
            if ($archive -match '[\\/]' -or $null -eq (Get-ArchiveKind $archive)) { Exit-Usage "${where}: 'archive' must be a file name ending in .zip, .tar.gz or .tgz" }
        }
        if ($url -ne '' -and -not (Test-IsUrl $url)) { Exit-Usage "${where}: 'url' must be an http(s) URL" }
        if ($url -ne '' -and $archive -eq '') { Exit-Usage "${where}: an entry with a 'url' needs an 'archive' file name" }
        if ($url -eq '' -and $manual -eq '') { Exit-Usage "${where}: an entry needs a 'url' or 'manual' instructions" }
        if ($sha -ne '' -and $sha -notmatch '^[0-9a-f]{64}$') { Exit-Usage "${where}: 'sha256' must be 64 hex digits or null" }
        $inner = @()
        foreach ($x in @(Get-Prop $it 'inner')) {
            if ($null -eq $x) { continue }
            if ($x -isnot [string] -or $x -match '(^|[\\/])\.\.([\\/]|$)' -or $null -eq (Get-ArchiveKind $x)) { Exit-Usage "${where}: 'inner' must list archive paths inside the archive" }
            $inner += $x
        }
        $extra = @()
        foreach ($x in @(Get-Prop $it 'extra')) {
            if ($null -eq $x) { continue }
            $xf = [string](Get-Prop $x 'file'); $xu = [string](Get-Prop $x 'url'); $xs = ([string](Get-Prop $x 'sha256')).ToLowerInvariant()
            if ($xf -eq '' -or $xf -match '[\\/]' -or -not (Test-IsUrl $xu) -or ($xs -ne '' -and $xs -notmatch '^[0-9a-f]{64}$')) {
                Exit-Usage "${where}: each 'extra' item needs a plain 'file' name, an http(s) 'url' and an optional 'sha256'"
            }
            $extra += [pscustomobject]@{ File = $xf; Url = $xu; Sha256 = $xs }
        }
        $name = [string](Get-Prop $it 'name')
        if ($name -eq '') { $name = $key }
        $entries.Add([pscustomobject]@{
                Key = $key; Name = $name; Folder = $folder; Url = $url; Archive = $archive; Sha256 = $sha
                Extract = $extract; Inner = $inner; Extra = $extra; Marker = $marker; Manual = $manual
            })
    }
    return , $entries
}

# ---------------------------------------------------------------- download

function Format-MiB([long] $Bytes) { return ('{0:N1} MiB' -f ($Bytes / 1MB)) }

function New-HttpClient {
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.AllowAutoRedirect = $true
    $handler.AutomaticDecompression = [System.Net.DecompressionMethods]::None
    $handler.ConnectTimeout = [TimeSpan]::FromSeconds(30)
    $client = [System.Net.Http.HttpClient]::new($handler)
    $client.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan
    $client.DefaultRequestHeaders.UserAgent.ParseAdd('TinierHar-download-datasets/1.0')
    return $client
}

function Invoke-WithTimeout([scriptblock] $Start, [string] $What) {
    $cts = [System.Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds($script:IdleTimeoutSeconds))
    try { return (& $Start $cts.Token).GetAwaiter().GetResult() }
    catch [System.OperationCanceledException] { throw "no data from the server for $($script:IdleTimeoutSeconds) s while $What" }
    finally { $cts.Dispose() }
}

# Downloads $Url to $Dest through "$Dest.partial", resuming from an existing .partial with a Range request.
function Get-RemoteFile([string] $Url, [string] $Dest, [string] $Label) {
    $partial = "$Dest.partial"
    $restarts = 0
    while ($true) {
        $have = 0L
        if (Test-Path -LiteralPath $partial -PathType Leaf) { $have = (Get-Item -LiteralPath $partial).Length }
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, $Url)
        if ($have -gt 0) {
            $request.Headers.Range = [System.Net.Http.Headers.RangeHeaderValue]::new($have, $null)
            Write-Out "[$Label] resuming $Url from byte $have ($(Format-MiB $have) already in $(Split-Path -Leaf $partial))"
        } else {
            Write-Out "[$Label] downloading $Url"
        }
        try {
            $response = Invoke-WithTimeout { param($t) $script:Client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead, $t) } 'waiting for the response'
        } catch {
            throw "cannot reach ${Url}: $(Get-ErrorText $_)"
        }
        try {
            $code = [int]$response.StatusCode
            $append = $false
            $total = $null
            $range = $response.Content.Headers.ContentRange
            $length = $response.Content.Headers.ContentLength
            if ($code -eq 206 -and $have -gt 0) {
                if ($null -eq $range -or $range.From -ne $have) {
                    if ($restarts -ge 1) { throw "the server answered the range request for $Url with a different range" }
                    Write-Out "[$Label] the server sent a different range; starting over"
                    Remove-Item -LiteralPath $partial -Force; $restarts++; continue
                }
                $append = $true
                $total = if ($null -ne $range.Length) { [long]$range.Length } elseif ($null -ne $length) { $have + [long]$length } else { $null }
            } elseif ($code -eq 416 -and $have -gt 0) {
                if ($null -ne $range -and $range.Length -eq $have) {
                    Write-Out "[$Label] $(Split-Path -Leaf $partial) is already complete"
                    Move-Item -LiteralPath $partial -Destination $Dest -Force
                    return
                }
                if ($restarts -ge 1) { throw "the server refused the range request for $Url (HTTP 416)" }
                Write-Out "[$Label] the server refused to resume (HTTP 416); starting over"
                Remove-Item -LiteralPath $partial -Force; $restarts++; continue
            } elseif ($code -eq 200) {
                if ($have -gt 0) { Write-Out "[$Label] the server ignored the range request (HTTP 200); starting over" }
                $have = 0L
                $total = $length
            } else {
                throw "HTTP $code $($response.ReasonPhrase) from $Url"
            }

            $mode = if ($append) { [System.IO.FileMode]::Append } else { [System.IO.FileMode]::Create }
            $file = [System.IO.FileStream]::new($partial, $mode, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None, 1MB)
            $done = $have
            try {
                $stream = Invoke-WithTimeout { param($t) $response.Content.ReadAsStreamAsync($t) } 'opening the response'
                $buffer = [byte[]]::new(1MB)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $lastReport = 0L; $lastPercent = if ($total) { [math]::Floor(100 * $done / $total) } else { 0 }
                while ($true) {
                    $n = Invoke-WithTimeout { param($t) $stream.ReadAsync($buffer, 0, $buffer.Length, $t) } 'downloading'
                    if ($n -le 0) { break }
                    $file.Write($buffer, 0, $n)
                    $done += $n
                    $percent = if ($total) { [math]::Floor(100 * $done / $total) } else { 0 }
                    if (($total -and $percent -ge $lastPercent + 10) -or $clock.ElapsedMilliseconds - $lastReport -ge 5000) {
                        $lastReport = $clock.ElapsedMilliseconds
                        if ($total) { $lastPercent = $percent - ($percent % 10); Write-Out ("[$Label]   {0} / {1} ({2}%)" -f (Format-MiB $done), (Format-MiB $total), $percent) }
                        else { Write-Out "[$Label]   $(Format-MiB $done)" }
                    }
                }
            } catch {
                $why = Get-ErrorText $_
                $file.Flush(); $file.Dispose(); $file = $null
                $of = if ($total) { " of $total" } else { '' }
                throw "download of $Url interrupted after $done$of bytes ($why); the partial file $partial is kept: re-run to resume"
            } finally {
                if ($null -ne $file) { $file.Dispose() }
            }
            if ($null -ne $total -and $done -ne $total) {
                if ($done -gt $total) {
                    Remove-Item -LiteralPath $partial -Force
                    throw "download of $Url gave $done bytes, more than the $total announced; the partial file was deleted"
                }
                throw "download of $Url ended after $done of $total bytes; the partial file $partial is kept: re-run to resume"
            }
            Write-Out "[$Label] downloaded $(Format-MiB $done)"
            Move-Item -LiteralPath $partial -Destination $Dest -Force
            return
        } finally {
            $response.Dispose()
            $request.Dispose()
        }
    }
}

function Get-Sha256([string] $Path) {
    $s = [System.IO.File]::OpenRead($Path)
    try { return [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($s)).ToLowerInvariant() }
    finally { $s.Dispose() }
}

# Checks a file against the manifest's hash. $Owned: the script made the file and may delete it.
function Confirm-Sha256([string] $Path, [string] $Expected, [string] $Label, [bool] $Owned) {
    $actual = Get-Sha256 $Path
    if ($Expected -eq '') {
        Write-Out "[$Label] sha256 $actual (the manifest pins no hash)"
        return
    }
    if ($actual -ne $Expected) {
        $fate = if ($Owned) { Remove-Item -LiteralPath $Path -Force; 'the file was deleted' } else { 'the file was left in place' }
        throw "SHA-256 mismatch for $(Split-Path -Leaf $Path): expected $Expected, actual $actual; $fate"
    }
    Write-Out "[$Label] sha256 verified"
}

# ---------------------------------------------------------------- extraction

function Expand-AnyArchive([string] $Path, [string] $Destination) {
    $leaf = Split-Path -Leaf $Path
    switch (Get-ArchiveKind $leaf) {
        'zip' {
            try { [System.IO.Compression.ZipFile]::ExtractToDirectory($Path, $Destination, $false) }
            catch { throw "cannot extract ${leaf}: the archive is corrupt or truncated ($(Get-ErrorText $_))" }
        }
        'tar.gz' {
            $tar = Get-Command tar -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($null -ne $tar) {
                $out = & $tar.Source -xzf $Path -C $Destination 2>&1
                if ($LASTEXITCODE -ne 0) {
                    $first = @($out | ForEach-Object { "$_" } | Where-Object { $_ -ne '' })[0]
                    throw "cannot extract ${leaf}: tar exited with $LASTEXITCODE ($first)"
                }
            } else {
                $fs = [System.IO.File]::OpenRead($Path)
                try {
                    $gz = [System.IO.Compression.GZipStream]::new($fs, [System.IO.Compression.CompressionMode]::Decompress)
                    [System.Formats.Tar.TarFile]::ExtractToDirectory($gz, $Destination, $false)
                } catch {
                    throw "cannot extract ${leaf}: the archive is corrupt or truncated ($(Get-ErrorText $_))"
                } finally { $fs.Dispose() }
            }
        }
        default { throw "cannot extract ${leaf}: only .zip and .tar.gz archives are supported" }
    }
}

function Get-TopEntries([string] $Dir) {
    $names = @(Get-ChildItem -LiteralPath $Dir -Force | ForEach-Object { if ($_.PSIsContainer) { "$($_.Name)/" } else { $_.Name } })
    if ($names.Count -eq 0) { return '(empty)' }
    if ($names.Count -gt 8) { $names = $names[0..7] + '...' }
    return ($names -join ', ')
}

# Extracts $ArchivePath for $E into a temporary folder inside the data folder, checks the marker there, and
# renames the result into <data>/<folder>. Nothing appears below <data>/<folder> unless all of it worked.
function Install-Archive($E, [string] $ArchivePath, [object[]] $ExtraFiles) {
    $tmp = Join-Path $script:DataDir (".tmp-$($E.Key)-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    [void][System.IO.Directory]::CreateDirectory($tmp)
    try {
        Write-Out "[$($E.Key)] extracting $(Split-Path -Leaf $ArchivePath)"
        Expand-AnyArchive $ArchivePath $tmp
        foreach ($inner in $E.Inner) {
            $innerPath = Join-Path $tmp $inner
            if (-not (Test-Path -LiteralPath $innerPath -PathType Leaf)) {
                throw "the archive does not contain the expected inner archive '$inner' (top-level entries: $(Get-TopEntries $tmp))"
            }
            Write-Out "[$($E.Key)] extracting inner archive $inner"
            Expand-AnyArchive $innerPath (Split-Path -Parent $innerPath)
            Remove-Item -LiteralPath $innerPath -Force
        }
        $mac = Join-Path $tmp '__MACOSX'
        if (Test-Path -LiteralPath $mac) { Remove-Item -LiteralPath $mac -Recurse -Force }

        $root = $tmp
        if ($E.Extract -eq 'into-data') {
            $root = Join-Path $tmp $E.Folder
            if (-not (Test-Path -LiteralPath $root -PathType Container)) {
                throw "the archive has no top-level folder '$($E.Folder)/' (top-level entries: $(Get-TopEntries $tmp))"
            }
        }
        $relMarker = $E.Marker.Substring($E.Folder.Length + 1)
        if (-not (Test-Path -LiteralPath (Join-Path $root $relMarker))) {
            # Tolerate one wrapping folder around the expected layout (some mirrors re-pack archives so).
            $dirs = @(Get-ChildItem -LiteralPath $root -Directory -Force)
            $files = @(Get-ChildItem -LiteralPath $root -File -Force)
            if ($dirs.Count -eq 1 -and $files.Count -eq 0 -and (Test-Path -LiteralPath (Join-Path $dirs[0].FullName $relMarker))) {
                Write-Out "[$($E.Key)] the archive wraps its content in '$($dirs[0].Name)/'; using that folder's content"
                $root = $dirs[0].FullName
            } else {
                throw "the archive does not have the expected layout: '$relMarker' is missing after extraction (top-level entries: $(Get-TopEntries $root))"
            }
        }
        foreach ($x in $ExtraFiles) { Copy-Item -LiteralPath $x.Path -Destination (Join-Path $root $x.File) -Force }

        $dest = Join-Path $script:DataDir $E.Folder
        if (-not (Test-Path -LiteralPath $dest)) {
            [System.IO.Directory]::Move($root, $dest)
        } else {
            # The folder exists (e.g. WISDM/ holding another WISDM release): add the new top-level entries,
            # refusing to touch any that already exist.
            $entries = @(Get-ChildItem -LiteralPath $root -Force)
            $clash = @($entries | Where-Object { Test-Path -LiteralPath (Join-Path $dest $_.Name) } | ForEach-Object { $_.Name })
            if ($clash.Count -gt 0) {
                throw "cannot install into the existing folder ${dest}: it already has $($clash -join ', ') but not the marker $($E.Marker); move those away and re-run"
            }
            foreach ($it in $entries) {
                $target = Join-Path $dest $it.Name
                if ($it.PSIsContainer) { [System.IO.Directory]::Move($it.FullName, $target) } else { [System.IO.File]::Move($it.FullName, $target) }
            }
        }
    } finally {
        if (Test-Path -LiteralPath $tmp) { Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue }
    }
    if (-not (Test-Path -LiteralPath (Join-Path $script:DataDir $E.Marker))) { throw "installation finished but the marker $($E.Marker) is missing" }
}

# ---------------------------------------------------------------- one dataset

function Write-Manual($E, [string] $Why) {
    Write-Out "[$($E.Key)] $($E.Name): $Why"
    if ($E.Manual -ne '') {
        $text = $E.Manual.Replace('{data}', $script:DataDir)
        foreach ($line in ($text -split "`n")) { Write-Out "    $line" }
    }
    Write-Out "    When done, '$($E.Marker)' must exist below $($script:DataDir)."
}

# Where an archive or extra file comes from: a path when it is local, else a URL to download.
function Resolve-Origin([string] $FileName, [string] $OfficialUrl) {
    if ($null -ne $script:SourceOpt) {
        if (Test-IsUrl $script:SourceOpt) { return @{ Url = $script:SourceOpt.TrimEnd('/') + '/' + [System.Uri]::EscapeDataString($FileName) } }
        $p = Join-Path $script:SourceOpt $FileName
        if (Test-Path -LiteralPath $p -PathType Leaf) { return @{ Path = $p } }
        return @{ Missing = $p }
    }
    if ($OfficialUrl -ne '') { return @{ Url = $OfficialUrl } }
    return @{}
}

function Install-Dataset($E) {
    $key = $E.Key
    if (Test-Path -LiteralPath (Join-Path $script:DataDir $E.Marker)) {
        Write-Out "[$key] $($E.Name): already present ($(Join-Path $script:DataDir $E.Folder))"
        return 'present'
    }
    # Leftovers of an interrupted extraction (the process was killed): never a dataset, always safe to drop.
    Get-ChildItem -LiteralPath $script:DataDir -Directory -Force -Filter ".tmp-$key-*" | ForEach-Object {
        Remove-Item -LiteralPath $_.FullName -Recurse -Force -ErrorAction SilentlyContinue
    }

    if ($E.Archive -eq '') {
        Write-Manual $E 'manual download needed.'
        return 'manual'
    }

    $archiveLocal = Join-Path $script:DataDir $E.Archive
    $archivePath = $null
    $owned = $false        # the archive is in the data folder and may be deleted by the script
    $fetchedNow = $false
    if (Test-Path -LiteralPath $archiveLocal -PathType Leaf) {
        Write-Out "[$key] using the archive already in the data folder: $archiveLocal"
        $archivePath = $archiveLocal; $owned = $true
    } else {
        $origin = Resolve-Origin $E.Archive $E.Url
        if ($origin.ContainsKey('Path')) {
            Write-Out "[$key] using $($origin.Path)"
            $archivePath = $origin.Path
        } elseif ($origin.ContainsKey('Url')) {
            try { Get-RemoteFile $origin.Url $archiveLocal $key }
            catch {
                if ($E.Manual -ne '') { Write-Manual $E 'the automatic download failed; to fetch it by hand:' }
                throw
            }
            $archivePath = $archiveLocal; $owned = $true; $fetchedNow = $true
        } elseif ($origin.ContainsKey('Missing')) {
            if ($E.Url -eq '') {
                Write-Manual $E "manual download needed ($($E.Archive) is not in the source folder)."
                return 'manual'
            }
            throw "$($E.Archive) not found in the source folder ($($origin.Missing))"
        } else {
            Write-Manual $E 'manual download needed.'
            return 'manual'
        }
    }

    Confirm-Sha256 $archivePath $E.Sha256 $key $owned

    $extraFiles = @()
    foreach ($x in $E.Extra) {
        $local = Join-Path $script:DataDir "$($E.Folder).$($x.File)"
        $path = $null
        if (Test-Path -LiteralPath $local -PathType Leaf) { $path = $local }
        else {
            $o = Resolve-Origin $x.File $x.Url
            if ($o.ContainsKey('Path')) { $path = $o.Path }
            elseif ($o.ContainsKey('Url')) { Get-RemoteFile $o.Url $local $key; $path = $local }
            else { throw "$($x.File) not found in the source folder ($($o.Missing))" }
        }
        Confirm-Sha256 $path $x.Sha256 $key ($path -eq $local)
        $extraFiles += [pscustomobject]@{ File = $x.File; Path = $path; Owned = ($path -eq $local) }
    }

    try { Install-Archive $E $archivePath $extraFiles }
    catch {
        $msg = Get-ErrorText $_
        if ($fetchedNow -and $msg -like '*corrupt or truncated*') {
            Remove-Item -LiteralPath $archivePath -Force -ErrorAction SilentlyContinue
            $msg += '; the downloaded archive was deleted'
        } elseif ($owned) {
            $msg += "; the archive is kept at $archivePath"
        }
        if ($E.Manual -ne '') { Write-Manual $E 'could not be installed automatically; to do it by hand:' }
        throw $msg
    }
    if ($owned) { Remove-Item -LiteralPath $archivePath -Force -ErrorAction SilentlyContinue }
    foreach ($x in $extraFiles) { if ($x.Owned) { Remove-Item -LiteralPath $x.Path -Force -ErrorAction SilentlyContinue } }
    Write-Out "[$key] $($E.Name): installed in $(Join-Path $script:DataDir $E.Folder)"
    return 'installed'
}

# ---------------------------------------------------------------- main

$opt = Read-Arguments $args
if ($opt.Help) { Show-Usage; exit $script:ExitOk }

$here = $PSScriptRoot
$cwd = (Get-Location).ProviderPath
$manifestPath = if ($null -ne $opt.Manifest) { $opt.Manifest } else { Join-Path $here 'data/datasets.json' }
$manifestPath = [System.IO.Path]::GetFullPath($manifestPath, $cwd)
$dataOpt = if ($null -ne $opt.Data) { $opt.Data } elseif ("$env:TINIERHAR_DATA" -ne '') { $env:TINIERHAR_DATA } else { Join-Path $here 'data' }
$script:DataDir = [System.IO.Path]::GetFullPath($dataOpt, $cwd).TrimEnd([System.IO.Path]::DirectorySeparatorChar)
$script:SourceOpt = $null
if ($null -ne $opt.Source) {
    if (Test-IsUrl $opt.Source) { $script:SourceOpt = $opt.Source }
    else {
        $script:SourceOpt = [System.IO.Path]::GetFullPath($opt.Source, $cwd)
        if (-not (Test-Path -LiteralPath $script:SourceOpt -PathType Container)) { Exit-Usage "source folder not found: $($script:SourceOpt)" }
    }
}

$entries = Read-Manifest $manifestPath
$validKeys = ($entries | ForEach-Object { $_.Key }) -join ', '
$selected = [System.Collections.Generic.List[object]]::new()
if ($opt.Datasets.Count -eq 0 -or $opt.Datasets -contains 'all') {
    foreach ($e in $entries) { $selected.Add($e) }
} else {
    $unknown = @($opt.Datasets | Where-Object { $k = $_; -not ($entries | Where-Object { $_.Key -eq $k }) })
    if ($unknown.Count -gt 0) {
        $what = if ($unknown.Count -eq 1) { "unknown dataset '$($unknown[0])'" } else { "unknown datasets '$($unknown -join "', '")'" }
        Write-Fail "$what. Valid keys: $validKeys, all"
        exit $script:ExitUsage
    }
    foreach ($e in $entries) { if ($opt.Datasets -contains $e.Key) { $selected.Add($e) } }
}

if ($opt.List) {
    Write-Out "Data folder: $($script:DataDir)"
    Write-Out ('{0,-12} {1,-9} {2,-7} {3,-12} {4}' -f 'KEY', 'STATUS', 'SOURCE', 'FOLDER', 'NAME')
    foreach ($e in $selected) {
        $status = if (Test-Path -LiteralPath (Join-Path $script:DataDir $e.Marker)) { 'present' } else { 'missing' }
        $src = if ($e.Url -ne '') { 'auto' } else { 'manual' }
        Write-Out ('{0,-12} {1,-9} {2,-7} {3,-12} {4}' -f $e.Key, $status, $src, $e.Folder, $e.Name)
    }
    exit $script:ExitOk
}

try { [void][System.IO.Directory]::CreateDirectory($script:DataDir) }
catch { Write-Fail "cannot create the data folder $($script:DataDir): $(Get-ErrorText $_)"; exit $script:ExitFailed }

$script:Client = New-HttpClient
$present = [System.Collections.Generic.List[string]]::new()
$installed = [System.Collections.Generic.List[string]]::new()
$manual = [System.Collections.Generic.List[string]]::new()
$failed = [System.Collections.Generic.List[string]]::new()
foreach ($e in $selected) {
    try {
        $r = Install-Dataset $e
        if ($r -eq 'manual') { $manual.Add($e.Key) } elseif ($r -eq 'installed') { $installed.Add($e.Key) } else { $present.Add($e.Key) }
    } catch {
        $msg = Get-ErrorText $_
        Write-Fail "[$($e.Key)] $($e.Name): $msg"
        $failed.Add($e.Key)
    }
}
$script:Client.Dispose()

$parts = @("$($installed.Count) installed", "$($present.Count) already present")
if ($manual.Count -gt 0) { $parts += "$($manual.Count) need a manual download ($($manual -join ', '))" }
if ($failed.Count -gt 0) { $parts += "$($failed.Count) failed ($($failed -join ', '))" }
Write-Out "Done: $($parts -join ', ')."
if ($manual.Count -gt 0 -or $failed.Count -gt 0) { exit $script:ExitFailed }
exit $script:ExitOk
