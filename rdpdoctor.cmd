@echo off
rem rdpdoctor launcher for Windows: runs rdpdoctor.ps1 beside this file, which finds a JDK 21+,
rem builds the jar when the sources changed, and runs it. Usage is the same as ./rdpdoctor.
setlocal
where powershell.exe >nul 2>nul
if errorlevel 1 (
  >&2 echo rdpdoctor: Windows PowerShell, powershell.exe, was not found on PATH; it comes with Windows 10 and 11.
  exit /b 2
)
powershell.exe -NoLogo -NoProfile -ExecutionPolicy Bypass -File "%~dp0rdpdoctor.ps1" %*
exit /b %ERRORLEVEL%
