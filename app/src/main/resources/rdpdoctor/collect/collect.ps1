<#
  rdpdoctor collect: gathers the evidence for a Remote Desktop failure into one zip bundle
  (registry hives and key exports, event logs, the Remote Desktop certificates, CBS.log, and the
  install-context checks), with a manifest.json that lists every item and whether it worked.

  Read-only: it changes no setting. The only things it creates are its own temporary folder and the
  bundle; the TEMP check opens a file that Windows deletes as soon as it is closed.
  Run it from an elevated PowerShell to include SYSTEM/SOFTWARE hives and the Security log.

  Usage:  powershell -NoProfile -ExecutionPolicy Bypass -File collect.ps1 [-OutFile bundle.zip] [-Days 14]
  Then:   rdpdoctor analyze bundle.zip
#>
[CmdletBinding()]
param(
  [string]$OutFile = (Join-Path (Get-Location) ('rdpdoctor-bundle-' + $env:COMPUTERNAME + '-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.zip')),
  [int]$Days = 14
)
# Strict mode: a misspelt or unset variable is an error, not an empty string in a path.
Set-StrictMode -Version 2
# Not 'Stop': Windows PowerShell 5.1 turns a native program's stderr line (reg.exe, wevtutil.exe,
# redirected with 2>&1) into a terminating error under 'Stop'. Each native step's exit code is
# recorded in the manifest instead, and the cmdlets that must work say -ErrorAction Stop.
$ErrorActionPreference = 'Continue'
$work = Join-Path ([IO.Path]::GetTempPath()) ('rdpdoctor-collect-' + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work, "$work\registry", "$work\events", "$work\certificates", "$work\text" | Out-Null
$id = [Security.Principal.WindowsIdentity]::GetCurrent()
$isAdmin = (New-Object Security.Principal.WindowsPrincipal $id).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
$items = New-Object System.Collections.ArrayList

function Add-BundleItem([string]$Path, [string]$Kind, [string]$How, [bool]$Ok, [string]$Detail) {
  [void]$items.Add([ordered]@{ path = $Path; kind = $Kind; how = $How; ok = $Ok; detail = $Detail })
  Write-Host ('{0} {1}' -f ($(if ($Ok) { '[ok]  ' } else { '[skip]' })), $Path)
}

# ---- Registry: whole hives (needs elevation) and the RDP keys as .reg exports
if ($isAdmin) {
  foreach ($h in @(@('HKLM\SYSTEM', 'SYSTEM'), @('HKLM\SOFTWARE', 'SOFTWARE'))) {
    $out = "$work\registry\$($h[1])"
    reg.exe save $h[0] $out /y 2>&1 | Out-Null
    Add-BundleItem "registry\$($h[1])" 'regf' "reg save $($h[0])" ($LASTEXITCODE -eq 0) "exit $LASTEXITCODE"
  }
} else {
  Add-BundleItem 'registry\SYSTEM' 'regf' 'reg save HKLM\SYSTEM' $false 'needs an elevated PowerShell'
}
reg.exe save HKCU "$work\registry\NTUSER.DAT" /y 2>&1 | Out-Null
Add-BundleItem 'registry\NTUSER.DAT' 'regf' 'reg save HKCU' ($LASTEXITCODE -eq 0) "exit $LASTEXITCODE"
$keys = @(
  'HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server',
  'HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL',
  'HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services',
  'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP',
  'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList',
  'HKLM\SOFTWARE\Microsoft\MSLicensing',
  'HKCU\Software\Microsoft\Terminal Server Client'
)
$n = 0
foreach ($k in $keys) {
  $n++
  $out = "$work\registry\export-$n.reg"
  reg.exe export $k $out /y 2>&1 | Out-Null
  Add-BundleItem "registry\export-$n.reg" 'reg' "reg export $k" ($LASTEXITCODE -eq 0) "exit $LASTEXITCODE"
}

# ---- Event logs: the RDP channels, last $Days days
$ms = [int64]$Days * 86400000
$channels = @(
  'System', 'Application', 'Security',
  'Microsoft-Windows-TerminalServices-RDPClient/Operational',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin',
  'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
  'Microsoft-Windows-TerminalServices-Gateway/Operational',
  'Microsoft-Windows-User Profile Service/Operational'
)
foreach ($c in $channels) {
  $file = ($c -replace '[\\/ ]', '_') + '.evtx'
  wevtutil.exe epl $c "$work\events\$file" "/q:*[System[TimeCreated[timediff(@SystemTime) <= $ms]]]" 2>&1 | Out-Null
  Add-BundleItem "events\$file" 'evtx' "wevtutil epl $c" ($LASTEXITCODE -eq 0) "exit $LASTEXITCODE"
}

# ---- Remote Desktop certificates: the store listing, each certificate (public part), the binding
$listing = @()
foreach ($store in 'Cert:\LocalMachine\Remote Desktop', 'Cert:\LocalMachine\My') {
  foreach ($c in (Get-ChildItem $store -ErrorAction SilentlyContinue)) {
    # Double quotes: in a single-quoted string `t stays a backtick and a t, not a tab.
    $listing += "{0}`t{1}`t{2}`t{3:o}`t{4:o}`t{5}" -f $store, $c.Thumbprint, $c.Subject, $c.NotBefore.ToUniversalTime(), $c.NotAfter.ToUniversalTime(), $c.HasPrivateKey
    if ($store -like '*Remote Desktop') {
      $der = "$work\certificates\$($c.Thumbprint).cer"
      [IO.File]::WriteAllBytes($der, $c.RawData)
      Add-BundleItem "certificates\$($c.Thumbprint).cer" 'certificate' "export from $store" $true $c.Subject
    }
  }
}
$binding = Get-CimInstance -Namespace root\cimv2\TerminalServices -ClassName Win32_TSGeneralSetting -ErrorAction SilentlyContinue |
  Select-Object TerminalName, SSLCertificateSHA1Hash, SecurityLayer, UserAuthenticationRequired, MinEncryptionLevel
$listing += ($binding | Out-String)
Set-Content -Encoding UTF8 -Path "$work\certificates\store-listing.txt" -Value $listing
Add-BundleItem 'certificates\store-listing.txt' 'text' 'Get-ChildItem Cert:\LocalMachine\Remote Desktop, My; Win32_TSGeneralSetting' $true "$($listing.Count) lines"

# ---- CBS.log (System File Checker results)
$cbs = Join-Path $env:windir 'Logs\CBS\CBS.log'
try {
  $fs = [IO.File]::Open($cbs, 'Open', 'Read', 'ReadWrite')
  try { $dst = [IO.File]::Create("$work\text\CBS.log"); $fs.CopyTo($dst); $dst.Close() } finally { $fs.Close() }
  Add-BundleItem 'text\CBS.log' 'cbs' 'copy %windir%\Logs\CBS\CBS.log' $true ''
} catch {
  Add-BundleItem 'text\CBS.log' 'cbs' 'copy %windir%\Logs\CBS\CBS.log' $false $_.Exception.Message
}

# ---- Install-context checks, in the format rdpdoctor reads (install-checks.txt)
$checks = New-Object System.Collections.ArrayList
[void]$checks.Add('rdpdoctor install-checks 1')
[void]$checks.Add("# check`tstatus`ttarget`tdetail")
function Add-Check([string]$Name, [string]$Target, [scriptblock]$Test) {
  try { $r = & $Test; $status = $(if ($r.ok) { 'pass' } else { 'fail' }); $detail = [string]$r.detail }
  catch { $status = 'error'; $detail = $_.Exception.Message }
  [void]$checks.Add(($Name, $status, $Target, ($detail -replace "[`t`r`n]+", ' ')) -join "`t")
}
$mstsc = Join-Path $env:windir 'System32\mstsc.exe'
Add-Check 'mstsc-not-readonly' $mstsc {
  $f = Get-Item $mstsc -ErrorAction Stop
  @{ ok = -not $f.IsReadOnly; detail = "attributes: $($f.Attributes)" }
}
Add-Check 'tsclient-key-writable' 'HKCU\Software\Microsoft\Terminal Server Client' {
  # Asking for write access is enough to learn whether it would be granted; nothing is written.
  $k = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Software\Microsoft\Terminal Server Client', $true)
  if ($null -eq $k) { @{ ok = $true; detail = 'key absent: mstsc creates it' } } else { $k.Close(); @{ ok = $true; detail = 'write access granted' } }
}
Add-Check 'volume-writable' "$env:SystemDrive\" {
  $p = Get-Partition -DriveLetter $env:SystemDrive.Substring(0, 1) -ErrorAction Stop
  $d = Get-Disk -Number $p.DiskNumber -ErrorAction Stop
  @{ ok = -not ($p.IsReadOnly -or $d.IsReadOnly); detail = "partition read-only: $($p.IsReadOnly), disk read-only: $($d.IsReadOnly)" }
}
Add-Check 'temp-writable' $env:TEMP {
  if (-not (Test-Path $env:TEMP)) { return @{ ok = $false; detail = 'TEMP folder does not exist' } }
  $probe = Join-Path $env:TEMP ('rdpdoctor-' + [guid]::NewGuid() + '.tmp')
  $s = [IO.File]::Create($probe, 1, [IO.FileOptions]::DeleteOnClose)
  $s.Close()
  @{ ok = $true; detail = 'a file could be created (deleted on close)' }
}
Set-Content -Encoding UTF8 -Path "$work\text\install-checks.txt" -Value $checks
Add-BundleItem 'text\install-checks.txt' 'install-checks' 'mstsc, Terminal Server Client key, volume, TEMP' $true "$($checks.Count - 2) checks"

# ---- Manifest and zip
$manifest = [ordered]@{
  schema = 'rdpdoctor.bundle/1'
  computer = $env:COMPUTERNAME
  user = $env:USERNAME
  elevated = $isAdmin
  collectedAt = (Get-Date).ToUniversalTime().ToString('o')
  os = [Environment]::OSVersion.VersionString
  days = $Days
  items = $items
}
$manifest | ConvertTo-Json -Depth 4 | Set-Content -Encoding UTF8 -Path "$work\manifest.json"
Compress-Archive -Path "$work\*" -DestinationPath $OutFile -Force
Remove-Item -LiteralPath $work -Recurse -Force
Write-Host "Bundle written: $OutFile"
Write-Host "Analyse it with: rdpdoctor analyze `"$OutFile`""
