#!/usr/bin/env bash
# ctest driver: builds the shipped plan and the fictional county plan with minplan, then opens each in
# PyQGIS (tests/qgis/pyqgis_check.py). Needs Debian's python3-qgis (scripts/install_deps.sh).
# usage: pyqgis_test.sh MINPLAN_BINARY SOURCE_DIR
set -euo pipefail
minplan=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work"
"$minplan" build --plan "$src/data/plans/datong-2021-2025" --out "$work/datong.gpkg" >/dev/null
# Datong: rules.json gk_zone 38 → EPSG:4547 (CGCS2000 3° GK, CM 114°E).
/usr/bin/python3 "$src/tests/qgis/pyqgis_check.py" "$work/datong.gpkg" datong-2021-2025 EPSG:4547 "$work/datong.png"
"$minplan" build --plan "$src/tests/data/plans/fictional-county-2021-2025" --out "$work/fictional.gpkg" >/dev/null
# The fictional plan: gk_zone 34 → EPSG:4543 (CM 102°E).
/usr/bin/python3 "$src/tests/qgis/pyqgis_check.py" "$work/fictional.gpkg" fictional-county-2021-2025 EPSG:4543
