# rdpdoctor launcher for Windows (rdpdoctor.cmd runs this); the same behaviour as ./rdpdoctor on
# Linux and macOS, see README.md.
# - In an unpacked release (rdpdoctor.jar beside this file, no pom.xml): finds a Java 21+ runtime
#   (a JRE is enough) and runs the jar; nothing is built.
# - In a clone: finds a JDK 21+, builds the jar with Maven on first use or when the sources
#   changed, and runs it.
# Not 'Stop': Windows PowerShell 5.1 turns any stderr line of a native program (java -version,
# Maven warnings) into a terminating error under 'Stop'. Exit codes are checked instead.
$ErrorActionPreference = 'Continue'
# An unset or misspelt variable is an error, not an empty string in a path.
Set-StrictMode -Version 2
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$release = (Test-Path -LiteralPath (Join-Path $here 'rdpdoctor.jar')) -and -not (Test-Path -LiteralPath (Join-Path $here 'pom.xml'))

# The feature version of the Java in $dir (21, 25...), or 0 when $dir holds none. A runtime has
# bin\java.exe; a JDK also bin\javac.exe (needed to build, so a clone asks for it). The version
# comes from the 'release' file every JDK and JRE image has, else from 'java -version'.
function Get-JavaMajor([string]$dir, [bool]$needJdk) {
  if (-not $dir) { return 0 }
  $java = Join-Path $dir 'bin\java.exe'
  if (-not (Test-Path -LiteralPath $java)) { return 0 }
  if ($needJdk -and -not (Test-Path -LiteralPath (Join-Path $dir 'bin\javac.exe'))) { return 0 }
  $v = $null
  $releaseFile = Join-Path $dir 'release'
  if (Test-Path -LiteralPath $releaseFile) {
    $m = Select-String -LiteralPath $releaseFile -Pattern '^JAVA_VERSION="([^"]+)"' | Select-Object -First 1
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

# The Java home to use and its feature version, or $null. An explicit choice wins when it is new
# enough (RDPDOCTOR_JAVA_HOME, then JAVA_HOME); else the newest of the java on PATH and the usual
# install folders.
function Find-Java([bool]$needJdk) {
  foreach ($explicit in @($env:RDPDOCTOR_JAVA_HOME, $env:JAVA_HOME)) {
    $major = Get-JavaMajor $explicit $needJdk
    if ($major -ge 21) { return @($explicit, $major) }
  }
  $candidates = New-Object System.Collections.Generic.List[string]
  $onPath = Get-Command java.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
  if ($onPath) { $candidates.Add((Split-Path -Parent (Split-Path -Parent $onPath.Source))) }
  # The install folders of the common builds: Temurin (Eclipse Adoptium), Oracle (Java), Microsoft,
  # Zulu, Corretto, Liberica (BellSoft), Semeru; then IntelliJ's downloads and Scoop.
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
  if ($env:USERPROFILE) {
    foreach ($extra in @((Join-Path $env:USERPROFILE '.jdks'), (Join-Path $env:USERPROFILE 'scoop\apps'))) {
      if (Test-Path -LiteralPath $extra) {
        Get-ChildItem -LiteralPath $extra -Directory -ErrorAction SilentlyContinue | ForEach-Object {
          $candidates.Add($_.FullName)
          $current = Join-Path $_.FullName 'current'   # Scoop keeps the active version here
          if (Test-Path -LiteralPath $current) { $candidates.Add($current) }
        }
      }
    }
  }
  $best = $null
  $bestMajor = 0
  foreach ($c in $candidates) {
    $major = Get-JavaMajor $c $needJdk
    if ($major -ge 21 -and $major -gt $bestMajor) { $best = $c; $bestMajor = $major }
  }
  if ($best) { return @($best, $bestMajor) }
  return $null
}

$found = Find-Java (-not $release)
if (-not $found) {
  $what = $(if ($release) { 'Java 21 or newer (a runtime, JRE, is enough)' } else { 'a JDK 21 or newer (a JDK, not only a JRE: a clone builds itself on first use)' })
  $package = $(if ($release) { 'EclipseAdoptium.Temurin.21.JRE' } else { 'EclipseAdoptium.Temurin.21.JDK' })
  [Console]::Error.WriteLine("rdpdoctor needs $what.")
  [Console]::Error.WriteLine('None was found in RDPDOCTOR_JAVA_HOME, JAVA_HOME, PATH or the usual install folders')
  [Console]::Error.WriteLine('(Program Files\Eclipse Adoptium, Java, Microsoft, Zulu, Amazon Corretto, BellSoft, %USERPROFILE%\.jdks).')
  [Console]::Error.WriteLine('Install one, for example:')
  [Console]::Error.WriteLine("  winget install $package")
  [Console]::Error.WriteLine('  (or Microsoft.OpenJDK.21, or a build from adoptium.net)')
  [Console]::Error.WriteLine('then open a new terminal and run the command again, or set RDPDOCTOR_JAVA_HOME to its folder.')
  exit 2
}
$javaHome = $found[0]
$major = $found[1]
$env:JAVA_HOME = $javaHome

if ($release) {
  $jar = Join-Path $here 'rdpdoctor.jar'
  $cdsDir = Join-Path $here 'cds'
} else {
  $jar = Join-Path $here 'app\target\rdpdoctor.jar'
  $cdsDir = Join-Path $here 'app\target\cds'
}

# A clone's jar is stale when it is missing or any main source, resource, build step or pom is
# newer than it. Only the modules' src\main and src\build folders and the poms are walked.
function Test-Stale {
  if (-not (Test-Path -LiteralPath $jar)) { return $true }
  $built = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
  $files = @(Get-Item -LiteralPath (Join-Path $here 'pom.xml') -ErrorAction SilentlyContinue)
  foreach ($module in Get-ChildItem -LiteralPath $here -Directory -ErrorAction SilentlyContinue) {
    $files += @(Get-Item -LiteralPath (Join-Path $module.FullName 'pom.xml') -ErrorAction SilentlyContinue)
    foreach ($sub in 'src\main', 'src\build') {
      $folder = Join-Path $module.FullName $sub
      if (Test-Path -LiteralPath $folder) {
        $files += @(Get-ChildItem -LiteralPath $folder -Recurse -File -ErrorAction SilentlyContinue)
      }
    }
  }
  foreach ($f in $files) {
    if ($f -and $f.LastWriteTimeUtc -gt $built) { return $true }
  }
  return $false
}

if (-not $release -and (Test-Stale)) {
  $mvn = Get-Command mvn.cmd -ErrorAction SilentlyContinue
  if (-not $mvn) { $mvn = Get-Command mvn -ErrorAction SilentlyContinue }
  if (-not $mvn) {
    [Console]::Error.WriteLine('rdpdoctor: building needs Maven on PATH (winget install Apache.Maven, or maven.apache.org)')
    exit 2
  }
  [Console]::Error.WriteLine('rdpdoctor: building (first run or sources changed; takes about a minute)...')
  $log = [System.IO.Path]::GetTempFileName()
  Push-Location $here
  try {
    # -DskipTests, not -Dmaven.test.skip=true: the modules need each other's test jars (the
    # EVTX and hive fixture writers), which are built even when the tests do not run.
    & $mvn.Source -B -q '-DskipTests' package *> $log
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
  Remove-Item -LiteralPath $cdsDir -Recurse -Force -ErrorAction SilentlyContinue
}

# Start-up, as in ./rdpdoctor (see the comments there): one class-data archive per command name,
# an AOT cache on JDK 25+ (recorded on the command's first successful run, then made), a dynamic
# CDS archive on JDK 21-24; the quick C1 compiler only.
$cmd = 'other'
foreach ($a in $args) {
  $s = [string]$a
  if ($s.StartsWith('-')) { continue }
  if ($cmd -eq 'other' -and @('explain', 'probe', 'scan', 'history', 'diff', 'diagnose', 'analyze', 'fix', 'collect', 'evtx', 'hive') -contains $s) {
    $cmd = $s
    continue
  }
  if (($cmd -eq 'hive' -and @('check', 'dump', 'rdp') -contains $s) -or ($cmd -eq 'evtx' -and @('dump', 'stats') -contains $s)) {
    $cmd = "$cmd-$s"
  }
  break
}
$json = ''
foreach ($a in $args) {
  if ($cmd -eq 'probe' -and [string]$a -eq '--quick') { $cmd = 'probe-quick' }
  if ([string]$a -eq '--json') { $json = '-json' }
}
$cmd = "$cmd$json"
if (-not (Test-Path -LiteralPath $cdsDir)) { New-Item -ItemType Directory -Path $cdsDir -ErrorAction SilentlyContinue | Out-Null }
# A release unpacked where this user cannot write (Program Files) runs without recording.
function Test-Writable([string]$dir) {
  try {
    $probe = Join-Path $dir ".write-test-$PID"
    [IO.File]::WriteAllText($probe, '')
    Remove-Item -LiteralPath $probe -ErrorAction SilentlyContinue
    return $true
  } catch {
    return $false
  }
}
# An archive older than the jar is stale (the JVM would only ignore it).
$jarTime = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
Get-ChildItem -LiteralPath $cdsDir -File -ErrorAction SilentlyContinue | Where-Object { $_.LastWriteTimeUtc -lt $jarTime } |
  ForEach-Object { Remove-Item -LiteralPath $_.FullName -ErrorAction SilentlyContinue }
$java = Join-Path $javaHome 'bin\java.exe'
$opts = @('-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:-UsePerfData', '-Xlog:cds=off', '-Xlog:cds+dynamic=off')
if ($env:RDPDOCTOR_JAVA_OPTS) { $opts += @($env:RDPDOCTOR_JAVA_OPTS -split '\s+' | Where-Object { $_ }) }
if ($major -lt 25) {
  & $java '-XX:+AutoCreateSharedArchive' "-XX:SharedArchiveFile=$(Join-Path $cdsDir "$cmd.jsa")" @opts -jar $jar @args
  exit $LASTEXITCODE
}
$opts += '-Xlog:aot=off'
$cache = Join-Path $cdsDir "$cmd-$major.aot"
if ((Test-Path -LiteralPath $cache) -or -not (Test-Writable $cdsDir)) {
  & $java "-XX:AOTCache=$cache" @opts -jar $jar @args
  exit $LASTEXITCODE
}
# First run of this command: record, then make the cache (temporary names, then a rename, so two
# first runs at once never read a half-written cache). Only a run that did its job (exit 0 or 1)
# is worth keeping.
$conf = Join-Path $cdsDir "$cmd.$PID.aotconf"
& $java '-XX:AOTMode=record' "-XX:AOTConfiguration=$conf" @opts '-XX:+UnlockDiagnosticVMOptions' '-XX:-DisplayVMOutput' -jar $jar @args
$rc = $LASTEXITCODE
if ((Test-Path -LiteralPath $conf) -and $rc -le 1) {
  & $java '-XX:AOTMode=create' "-XX:AOTConfiguration=$conf" "-XX:AOTCache=$cache.$PID" @opts -cp $jar *> $null
  if ($LASTEXITCODE -eq 0) { Move-Item -LiteralPath "$cache.$PID" -Destination $cache -Force -ErrorAction SilentlyContinue }
}
Remove-Item -LiteralPath $conf, "$cache.$PID" -ErrorAction SilentlyContinue
exit $rc
