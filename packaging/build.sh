#!/usr/bin/env bash
# Build the station terminal for release, into dist/:
#   1. a build venv (build/venv) from requirements.lock + packaging/requirements-build.txt
#   2. a stage (build/stage): catalogue, resources with compiled .qm translations, the icon,
#      and the project installed into the build venv with the release version
#   3. the PyInstaller one-folder bundle          -> dist/station-app/
#   4. the smoke test of the frozen program       (packaging/smoke_test.sh)
#   5. the .deb for 统信UOS / 银河麒麟 / Debian     -> dist/cn.gov.hanyang.redstation_*.deb
#   6. the NSIS script compiled against a placeholder payload, when makensis is installed
#      (a syntax check only: the Windows bundle must be built on Windows)
#
#   packaging/build.sh [--version X.Y.Z] [--build-number N] [--out DIR] [--allow-missing]
#
# --version defaults to the version in station_app/__init__.py; the .deb and UOS info carry
# X.Y.Z.N (N = --build-number, default 0). --allow-missing lets the smoke test skip
# sub-commands the program does not have yet.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

version=""
build_number=0
out=dist
smoke_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version=${2:?--version needs X.Y.Z}; shift 2 ;;
    --version=*) version=${1#*=}; shift ;;
    --build-number) build_number=${2:?--build-number needs a number}; shift 2 ;;
    --build-number=*) build_number=${1#*=}; shift ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --allow-missing) smoke_flags+=(--allow-missing); shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$version" ]; then
  version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' station_app/__init__.py | head -n 1)
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || ! [[ "$build_number" =~ ^[0-9]+$ ]]; then
  echo "build.sh: version must be X.Y.Z and build number a whole number (got $version, $build_number)" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

started=$(date +%s)
step() { echo "== [$(($(date +%s) - started))s] $*"; }

# --- 0. tools and the system libraries the bundle links against ---------------------------
# dpkg-shlibdeps (dpkg-dev) maps the bundle's libraries to packages, so those libraries must be
# installed here; the Qt ones are the same set scripts/setup.sh installs, plus CUPS for the
# print-support plugin.
APT_PACKAGES=(
  dpkg-dev binutils python3-venv fonts-wqy-microhei libegl1 libgl1 libxkbcommon0
  libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libcups2
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing build packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 1. build venv ------------------------------------------------------------------------
# PyInstaller lives here and never in requirements.lock (see packaging/requirements-build.txt).
PYTHON="${PYTHON:-python3}"
venv=build/venv
stamp=$venv/.installed-from
want=$(cat requirements.lock packaging/requirements-build.txt | sha256sum | cut -d' ' -f1)
if [ ! -x $venv/bin/python ] || [ ! -f $stamp ] || [ "$(cat $stamp)" != "$want" ]; then
  step "build venv ($venv)"
  rm -rf $venv
  "$PYTHON" -m venv $venv
  log=$(mktemp)
  if ! { $venv/bin/python -m pip install -q --upgrade pip \
         && $venv/bin/python -m pip install -q -r requirements.lock \
              -r packaging/requirements-build.txt; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "build.sh: installing the build venv failed (log above)" >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" > $stamp
fi

# --- 2. stage -----------------------------------------------------------------------------
step "stage $version (build/stage)"
stage=build/stage
QT_QPA_PLATFORM=offscreen $venv/bin/python packaging/stage.py --version "$version" --stage $stage \
  2>&1 | sed 's/^/   /'

# --- 3. PyInstaller -----------------------------------------------------------------------
step "PyInstaller one-folder bundle"
REDSTATION_STAGE=$repo/$stage $venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath "$out" --workpath build/pyinstaller packaging/pyinstaller/station-app.spec \
  > build/pyinstaller.log 2>&1 || { tail -n 40 build/pyinstaller.log >&2; exit 1; }
bundle=$out/station-app

# --- 4. smoke test ------------------------------------------------------------------------
step "smoke test of the frozen program"
bash packaging/smoke_test.sh "${smoke_flags[@]}" "$bundle" "$version" | sed 's/^/   /'

# --- 5. .deb ------------------------------------------------------------------------------
step ".deb"
$venv/bin/python packaging/deb/build_deb.py --bundle "$bundle" --icons $stage/resources/icons \
  --version "$version" --build-number "$build_number" --out "$out" --work build/deb \
  | sed 's/^/   /'

# --- 6. NSIS (syntax check against a placeholder payload) ----------------------------------
if command -v makensis >/dev/null 2>&1; then
  step "NSIS script (placeholder payload)"
  payload=build/nsis/payload
  rm -rf build/nsis
  mkdir -p $payload/_internal/resources/icons
  printf 'placeholder, not a Windows program\r\n' > $payload/station-app.exe
  cp $stage/resources/icons/cn.gov.hanyang.redstation.ico $payload/_internal/resources/icons/
  makensis -V2 -DPAYLOAD_DIR="$repo/$payload" -DVERSION="$version" \
    -DBUILD_NUMBER="$build_number" -DOUTFILE="$repo/build/nsis/red-station-setup-placeholder.exe" \
    packaging/windows/red-station.nsi | sed 's/^/   /'
  echo "   compiled: build/nsis/red-station-setup-placeholder.exe (placeholder payload, not a release)"
else
  step "NSIS: makensis not installed, skipped (apt-get install nsis)"
fi

# --- sizes --------------------------------------------------------------------------------
step "done"
deb="$out/cn.gov.hanyang.redstation_${version}.${build_number}_$(dpkg --print-architecture).deb"
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }
echo "   bundle   $(mb "$(du -sb "$bundle" | cut -f1)")  $bundle"
echo "   .deb     $(mb "$(stat -c %s "$deb")")  $deb"
echo "   unpacked $(mb "$(($(dpkg-deb -f "$deb" Installed-Size) * 1024))") (Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB)"
echo "   glibc    $(ldd --version | head -n 1 | grep -oE '[0-9]+\.[0-9]+$') on this machine (the floor of this build)"
echo "   time     $(($(date +%s) - started)) s"
