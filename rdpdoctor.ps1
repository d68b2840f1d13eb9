# rdpdoctor launcher for Windows (rdpdoctor.cmd runs this). Finds a JDK >= 21, builds the runnable
# jar on first use or when the sources changed, and runs it. Needs only Maven and a JDK.
# Same behaviour as ./rdpdoctor on Linux and macOS; see README.md.
# Not 'Stop': Windows PowerShell 5.1 turns any stderr line of a native program (java -version,
# Maven warnings) into a terminating error under 'Stop'. Exit codes are checked instead.
$ErrorActionPreference = 'Continue'
# An unset or misspelt variable is an error, not an empty string in a path.
Set-StrictMode -Version 2
$here = Split-Path -Parent $MyInvocation.MyCommand.Path

# The feature version of the JDK in $dir (21, 25...), or 0 when $dir is not a JDK. A JDK has
# bin\java.exe and bin\javac.exe (a JRE cannot build); the version comes from its 'release' file,
# else from 'java -version'.
function Get-JdkMajor([string]$dir) {
  if (-not $dir) { return 0 }
  $java = Join-Path $dir 'bin\java.exe'
  $javac = Join-Path $dir 'bin\javac.exe'
  if (-not (Test-Path -LiteralPath $java) -or -not (Test-Path -LiteralPath $javac)) { return 0 }
  $v = $null
  $release = Join-Path $dir 'release'
  if (Test-Path -LiteralPath $release) {
    $m = Select-String -LiteralPath $release -Pattern '^JAVA_VERSION="([^"]+)"' | Select-Object -First 1
    if ($m) { $v = $m.Matches[0].Groups[1].Value }
  }
  if (-not $v) {
    $text = (& $java -version 2>&1 | Out-String)
    if ($text -match 'version "([^"]+)"') { $v = $Matches[1] }
  }
  if (-not $v) { return 0 }
  if ($v.StartsWith('1.')) { $v = $v.Substring(2) }   # 1.8 style
  $first = ($v -split '[.+-]')[0]
  $n = 0
  if ([int]::TryParse($first, [ref]$n)) { return $n }
  return 0
}

function Find-Jdk {
  # An explicit choice wins when it is new enough: RDPDOCTOR_JAVA_HOME, then JAVA_HOME.
  foreach ($explicit in @($env:RDPDOCTOR_JAVA_HOME, $env:JAVA_HOME)) {
    if ((Get-JdkMajor $explicit) -ge 21) { return $explicit }
  }
  $candidates = New-Object System.Collections.Generic.List[string]
  $onPath = Get-Command java.exe -ErrorAction SilentlyContinue | Select-Object -First 1
  if ($onPath) { $candidates.Add((Split-Path -Parent (Split-Path -Parent $onPath.Source))) }
  # The usual install folders of the common builds (Temurin, Oracle, Microsoft, Zulu, Corretto,
  # Liberica, Semeru), IntelliJ's downloads and Scoop.
  $roots = @($env:ProgramFiles, ${env:ProgramFiles(x86)}, $env:ProgramW6432) | Where-Object { $_ } | Select-Object -Unique
  $vendors = @('Eclipse Adoptium', 'Java', 'Microsoft', 'Zulu', 'Amazon Corretto', 'BellSoft', 'Semeru', 'OpenJDK', 'Eclipse Foundation')
  foreach ($root in $roots) {
    foreach ($vendor in $vendors) {
      $folder = Join-Path $root $vendor
      if (Test-Path -LiteralPath $folder) {
        Get-ChildItem -LiteralPath $folder -Directory -ErrorAction SilentlyContinue | ForEach-Object { $candidates.Add($_.FullName) }
      }
    }
  }
  foreach ($extra in @((Join-Path $env:USERPROFILE '.jdks'), (Join-Path $env:USERPROFILE 'scoop\apps'))) {
    if ($env:USERPROFILE -and (Test-Path -LiteralPath $extra)) {
      Get-ChildItem -LiteralPath $extra -Directory -ErrorAction SilentlyContinue | ForEach-Object {
        $candidates.Add($_.FullName)
        $current = Join-Path $_.FullName 'current'   # Scoop keeps the active version here
        if (Test-Path -LiteralPath $current) { $candidates.Add($current) }
      }
    }
  }
  # Among the found ones the newest wins.
  $best = $null
  $bestMajor = 0
  foreach ($c in $candidates) {
    $major = Get-JdkMajor $c
    if ($major -ge 21 -and $major -gt $bestMajor) { $best = $c; $bestMajor = $major }
  }
  return $best
}

$jdk = Find-Jdk
if (-not $jdk) {
  [Console]::Error.WriteLine(@'
rdpdoctor needs a JDK 21 or newer (a JDK, not only a JRE: it builds itself on first use).
None was found in RDPDOCTOR_JAVA_HOME, JAVA_HOME, PATH or the usual install folders
(Program Files\Eclipse Adoptium, Java, Microsoft, Zulu, Amazon Corretto, BellSoft, %USERPROFILE%\.jdks).
Install one, for example:
  winget install EclipseAdoptium.Temurin.21.JDK
  (or Microsoft.OpenJDK.21, or a JDK from adoptium.net)
then open a new terminal and run the command again, or set RDPDOCTOR_JAVA_HOME to the JDK's folder.
'@)
  exit 2
}
$env:JAVA_HOME = $jdk

$jar = Join-Path $here 'app\target\rdpdoctor.jar'
$jsa = Join-Path $here 'app\target\rdpdoctor.jsa'

# Stale when the jar is missing or any main source, resource or pom is newer than it. Only the
# modules' src\main folders and the poms are walked, never target\ or .git\.
function Test-Stale {
  if (-not (Test-Path -LiteralPath $jar)) { return $true }
  $built = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
  $files = @(Get-Item -LiteralPath (Join-Path $here 'pom.xml') -ErrorAction SilentlyContinue)
  foreach ($module in Get-ChildItem -LiteralPath $here -Directory -ErrorAction SilentlyContinue) {
    $files += @(Get-Item -LiteralPath (Join-Path $module.FullName 'pom.xml') -ErrorAction SilentlyContinue)
    $main = Join-Path $module.FullName 'src\main'
    if (Test-Path -LiteralPath $main) {
      $files += @(Get-ChildItem -LiteralPath $main -Recurse -File -ErrorAction SilentlyContinue)
    }
  }
  foreach ($f in $files) {
    if ($f -and $f.LastWriteTimeUtc -gt $built) { return $true }
  }
  return $false
}

if (Test-Stale) {
  $mvn = Get-Command mvn.cmd -ErrorAction SilentlyContinue
  if (-not $mvn) { $mvn = Get-Command mvn -ErrorAction SilentlyContinue }
  if (-not $mvn) {
    [Console]::Error.WriteLine('rdpdoctor: building needs Maven (winget install Apache.Maven, or maven.apache.org), on PATH')
    exit 2
  }
  [Console]::Error.WriteLine('rdpdoctor: building (first run or sources changed; takes about a minute)...')
  $log = [System.IO.Path]::GetTempFileName()
  Push-Location $here
  try {
    & $mvn.Source -B -q '-Dmaven.test.skip=true' package *> $log
    $status = $LASTEXITCODE
  } finally {
    Pop-Location
  }
  if ($status -ne 0) {
    Get-Content -LiteralPath $log | ForEach-Object { [Console]::Error.WriteLine($_) }
    Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue
    [Console]::Error.WriteLine('rdpdoctor: the build failed; the Maven output is above')
    exit 4
  }
  Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue
  Remove-Item -LiteralPath $jsa -ErrorAction SilentlyContinue
}

# Class-data sharing, as in ./rdpdoctor: the archive of loaded classes is written on the first run;
# one older than the jar is stale and is removed so the JVM writes a fresh one.
if ((Test-Path -LiteralPath $jsa) -and ((Get-Item -LiteralPath $jar).LastWriteTimeUtc -gt (Get-Item -LiteralPath $jsa).LastWriteTimeUtc)) {
  Remove-Item -LiteralPath $jsa -ErrorAction SilentlyContinue
}
$javaArgs = @('-XX:+AutoCreateSharedArchive', "-XX:SharedArchiveFile=$jsa", '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC', '-Xshare:auto', '-Xlog:cds=off', '-Xlog:cds+dynamic=off')
if ($env:RDPDOCTOR_JAVA_OPTS) { $javaArgs += ($env:RDPDOCTOR_JAVA_OPTS -split '\s+' | Where-Object { $_ }) }
$javaArgs += @('-jar', $jar)
& (Join-Path $jdk 'bin\java.exe') @javaArgs @args
exit $LASTEXITCODE
