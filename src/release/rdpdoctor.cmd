@echo off
rem rdpdoctor launcher for Windows: finds a Java 21 or newer and runs lib\rdpdoctor.jar with a
rem class cache (CDS, created on first use) so later runs start fast.
rem   RDPDOCTOR_JAVA  the java.exe to use        RDPDOCTOR_OPTS  extra JVM options
rem Looks in RDPDOCTOR_JAVA, JAVA_HOME, PATH, then the usual install folders.
setlocal EnableExtensions EnableDelayedExpansion
set "HERE=%~dp0"
set "JAR=%HERE%lib\rdpdoctor.jar"
if not exist "%JAR%" (
  echo rdpdoctor: "!JAR!" is missing; unzip the whole release archive. 1>&2
  exit /b 3
)

set "JAVA="
set "JAVAVER="
if defined RDPDOCTOR_JAVA call :try "%RDPDOCTOR_JAVA%"
if not defined JAVA if defined JAVA_HOME call :try "%JAVA_HOME%\bin\java.exe"
if not defined JAVA for /f "usebackq delims=" %%J in (`where java.exe 2^>nul`) do (
  if not defined JAVA call :try "%%J"
)
if not defined JAVA for /d %%D in ("%ProgramFiles%\Microsoft\jdk-*" "%ProgramFiles%\Eclipse Adoptium\*" "%ProgramFiles%\Java\*" "%ProgramFiles%\Zulu\*" "%ProgramFiles%\Amazon Corretto\*" "%ProgramFiles%\BellSoft\*" "%LocalAppData%\Programs\Eclipse Adoptium\*") do (
  if not defined JAVA call :try "%%~D\bin\java.exe"
)
if not defined JAVA (
  echo rdpdoctor: needs Java 21 or newer, and none was found in JAVA_HOME, PATH or Program Files. 1>&2
  echo Install one:   winget install Microsoft.OpenJDK.21 1>&2
  echo then open a new Command Prompt and run rdpdoctor again, or set JAVA_HOME to the JDK folder. 1>&2
  exit /b 3
)

rem Short-lived CLI: the serial collector, C1 only except for logs (big EVTX files). The class
rem cache is CDS's auto-created archive, one per Java version, in %LOCALAPPDATA%\rdpdoctor.
set "OPTS=-XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr -Xlog:aot*=off:stderr -Xlog:cds*=off:stderr"
if /i not "%~1"=="logs" set "OPTS=!OPTS! -XX:TieredStopAtLevel=1"
if !JAVAVER! GEQ 25 set "OPTS=!OPTS! -XX:UserThreadWaitAttemptsAtExit=0"
set "CACHE=%LOCALAPPDATA%\rdpdoctor"
if not defined RDPDOCTOR_NO_CACHE if defined LOCALAPPDATA (
  if not exist "!CACHE!" mkdir "!CACHE!" 2>nul
  if exist "!CACHE!" set "OPTS=!OPTS! -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=!CACHE!\rdpdoctor-!JAVAVER!.jsa"
)
"%JAVA%" !OPTS! %RDPDOCTOR_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%

rem :try JAVA.EXE - sets JAVA and JAVAVER when it is a Java 21 or newer
:try
if not exist "%~1" goto :eof
set "PROPS=%TEMP%\rdpdoctor-java-%RANDOM%.txt"
"%~1" -XshowSettings:properties -version 2>"%PROPS%" >nul
set "V="
for /f "usebackq tokens=2 delims==" %%V in (`findstr /c:"java.specification.version" "%PROPS%"`) do set "V=%%V"
del "%PROPS%" 2>nul
if not defined V goto :eof
set "V=!V: =!"
for /f "delims=." %%M in ("!V!") do set "V=%%M"
if !V! GEQ 21 (
  set "JAVA=%~1"
  set "JAVAVER=!V!"
)
goto :eof
