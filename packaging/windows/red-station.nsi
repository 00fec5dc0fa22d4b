; Windows 10/11 installer of the station terminal (红色驿站服务终端).
;
;   makensis /DPAYLOAD_DIR=dist\station-app /DVERSION=0.1.0 [/DBUILD_NUMBER=0] [/DOUTFILE=…]
;            packaging\windows\red-station.nsi
;
; PAYLOAD_DIR is the PyInstaller one-folder output built on Windows (station-app.exe,
; station-app-cli.exe, _internal\). CI on Linux compiles this script against a placeholder
; folder to catch script errors; see README.md next to this file.
;
; - per-machine: Program Files, all users' Start menu, HKLM uninstall entry; needs admin.
; - data: %ProgramData%\hanyang\red-station (the program's machine-wide data folder). The
;   installer creates it and lets the Users group modify it, so workers who log on with
;   different accounts share one station's data; the uninstaller never deletes it.
; - unattended: setup.exe /S [/CONFIG=X:\path\station.toml] [/D=C:\other\folder]
;   /CONFIG copies a roll-out file into the data folder, where the program picks it up once
;   at first start (the secret then moves into protected storage).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef PAYLOAD_DIR
  !error "PAYLOAD_DIR is not defined: makensis /DPAYLOAD_DIR=<PyInstaller folder> …"
!endif
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef BUILD_NUMBER
  !define BUILD_NUMBER "0"
!endif
!ifndef OUTFILE
  !define OUTFILE "red-station-${VERSION}-setup.exe"
!endif

!define APPID "cn.gov.hanyang.redstation"
!define NAME_ZH "红色驿站服务终端"
!define NAME_EN "Red Station Terminal"
!define PUBLISHER "汉阳区红色驿站"
!define EXE "station-app.exe"
!define CLI_EXE "station-app-cli.exe"
!define ICON "${PAYLOAD_DIR}\_internal\resources\icons\${APPID}.ico"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define DATA_SUBDIR "hanyang\red-station"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${NAME_ZH}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\RedStation"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
BrandingText "${NAME_ZH} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD_NUMBER}"
VIAddVersionKey /LANG=2052 "ProductName" "${NAME_ZH}"
VIAddVersionKey /LANG=2052 "FileDescription" "${NAME_ZH} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}.${BUILD_NUMBER}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${NAME_ZH}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Var DataDir

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${NAME_ZH} 需要 64 位 Windows 10 或 11。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${NAME_ZH}" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the whole program folder, so no file of the old version lingers
  RMDir /r "$INSTDIR\_internal"
  File "${PAYLOAD_DIR}\${EXE}"
  !if /FileExists "${PAYLOAD_DIR}\${CLI_EXE}"
    File "${PAYLOAD_DIR}\${CLI_EXE}"
  !endif
  File /r "${PAYLOAD_DIR}\_internal"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu, all users, in Chinese
  CreateShortCut "$SMPROGRAMS\${NAME_ZH}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 \
    SW_SHOWNORMAL "" "${NAME_EN}"

  ; machine-wide data folder, shared by the workers' accounts; kept on uninstall
  StrCpy $DataDir "$APPDATA\${DATA_SUBDIR}"
  CreateDirectory "$DataDir"
  ; S-1-5-32-545 is the Users group under any display language
  nsExec::ExecToLog 'icacls "$DataDir" /grant *S-1-5-32-545:(OI)(CI)M'
  Pop $0

  ; roll-out: /CONFIG=path\station.toml is copied into the machine-wide folder
  ${GetParameters} $1
  ClearErrors
  ${GetOptions} $1 "/CONFIG=" $2
  ${IfNot} ${Errors}
    ${If} ${FileExists} "$2"
      CopyFiles /SILENT "$2" "$DataDir\station.toml"
    ${Else}
      MessageBox MB_ICONEXCLAMATION "找不到配置文件 $2；终端首次启动时将询问站点信息。" /SD IDOK
    ${EndIf}
  ${EndIf}

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${NAME_ZH}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $3 $4 $5
  IntFmt $3 "0x%08X" $3
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$3"
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${NAME_ZH}.lnk"
  ; only what the installer put there, in case the folder was shared with other files
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
  ; The data belongs to the district, not to the program: it is never deleted here.
  MessageBox MB_ICONINFORMATION "${NAME_ZH} 已卸载。办件数据和配置保留在 $APPDATA\${DATA_SUBDIR}，\
    请按区里的规定归档或移交后再手工删除。" /SD IDOK
SectionEnd
