#!/usr/bin/env bash
# Installs the Debian packages minplan needs (only those missing). Run as root on Debian 12.
set -euo pipefail
packages=(
  build-essential cmake pkg-config git
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin proj-data libsqlite3-dev sqlite3
  nlohmann-json3-dev libcli11-dev libfmt-dev libxlsxwriter-dev libxml2-dev libcpp-httplib-dev libsodium-dev
  libboost-dev                     # Boost.Geometry's R*-tree: the server's in-memory box index
  libgtest-dev libgmock-dev libbenchmark-dev
  nodejs chromium fonts-noto-cjk   # web map build, browser tests, PDF review opinions
  pandoc librsvg2-bin              # DOCX review opinions (pandoc; the sketch map rasterised by rsvg-convert)
  libreoffice-writer-nogui poppler-utils  # tests: the DOCX must open in LibreOffice (converted to PDF, read by pdftotext)
  python3-qgis                     # tests: the plan database opened in QGIS (tests/qgis/, headless PyQGIS)
  wrk                              # bench/load.sh, bench/latency.sh
  postgresql-15 postgresql-15-postgis-3   # bench/postgis_compare.sh: the PostGIS peer (test bench_postgis_smoke)
  libpq-dev                        # the PostGIS plan database (--db PG:…); its tests start a throwaway cluster
  libjemalloc2                     # the minplan binary's malloc when present (CMakeLists.txt: 15 % less CPU in the batch audit)
)
# Optional, for looking at spreadsheets by hand (not needed by any test): libreoffice-calc-nogui
# Debian's npm conflicts with a NodeSource nodejs (which ships its own npm): only add it when missing.
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
