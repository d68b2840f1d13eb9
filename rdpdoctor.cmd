@echo off
rem rdpdoctor launcher for Windows: runs rdpdoctor.ps1 beside this file, which finds a Java 21+
rem (in a release a JRE is enough; a clone needs a JDK and Maven and builds on first use) and runs
rem rdpdoctor. Usage is the same as ./rdpdoctor; the exit code is rdpdoctor's.
setlocal
rem Windows PowerShell 5.1 comes with Windows 10 and 11 (and Server 2016+); PowerShell 7 (pwsh) also works.
set "RDPDOCTOR_PS=powershell.exe"
where powershell.exe >nul 2>nul
if errorlevel 1 set "RDPDOCTOR_PS=pwsh.exe"
where %RDPDOCTOR_PS% >nul 2>nul
if errorlevel 1 (
  >&2 echo rdpdoctor: neither powershell.exe nor pwsh.exe is on PATH; Windows PowerShell comes with Windows 10 and 11.
  exit /b 2
)
%RDPDOCTOR_PS% -NoLogo -NoProfile -ExecutionPolicy Bypass -File "%~dp0rdpdoctor.ps1" %*
exit /b %ERRORLEVEL%
