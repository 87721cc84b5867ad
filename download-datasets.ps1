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
  -Source    Take archives from a local folder, or from a mirror base URL, instead of the official URLs.
  -Manifest  Dataset manifest (JSON). Default: data/datasets.json.
  -List      Print the datasets and whether each one is present; download nothing.

This script only forwards its parameters to the C# command, which does the work (HTTP with resume, SHA-256,
extraction into a temporary folder and a rename into place; see data/README.md):
  dotnet run --project cli -- datasets download --datasets KEY[,KEY...] [--data DIR] [--source ...] [--manifest FILE] [--list]

Exit codes (the command's): 0 every requested dataset is present at the end; 1 some failed or need manual steps;
2 bad arguments or manifest (an unknown key lists the valid keys).
#>

# No param() block on purpose: a parameter binding error would exit 1 before this code ran, and bad arguments must
# exit 2 with a one-line message; "-Datasets a b" (several values) must work too. The command checks everything else.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$forward = [System.Collections.Generic.List[string]]::new()
$hasData = $false
# From another PowerShell session "-Datasets a,b" arrives as an array: flatten it.
foreach ($a in $args) {
    foreach ($x in @($a)) {
        $token = [string]$x
        if ($token -match '^--?(datasets|data|source|manifest|list|help|h|\?)(?::(.*))?$') {
            $name = $Matches[1].ToLowerInvariant()
            if ($name -in 'h', '?') { $name = 'help' }
            if ($name -eq 'data') { $hasData = $true }
            $forward.Add("--$name")
            if ($null -ne $Matches[2] -and $Matches[2] -ne '') { $forward.Add($Matches[2]) }
        } elseif ($token -match '^--?[A-Za-z]') {
            [Console]::Error.WriteLine("error: unknown parameter '$token' (known: -Datasets, -Data, -Source, -Manifest, -List)")
            exit 2
        } else {
            $forward.Add($token)    # a value, or a further key after -Datasets
        }
    }
}
# Default data folder: data/ next to this script (not the caller's current folder).
if (-not $hasData -and "$env:TINIERHAR_DATA" -eq '') { $forward.Add('--data'); $forward.Add((Join-Path $PSScriptRoot 'data')) }

# Quiet build, no lingering build servers (they would keep the caller's output pipes open).
$env:MSBUILDDISABLENODEREUSE = '1'
$env:DOTNET_CLI_USE_MSBUILD_SERVER = '0'
& dotnet run --project (Join-Path $PSScriptRoot 'cli') --verbosity quiet -- datasets download @forward
exit $LASTEXITCODE
