#!/usr/bin/python3
"""Opens a plan database in QGIS itself (PyQGIS 3.22, headless) as a planner would (issue 19).

Per layer: valid, the default style from layer_styles loaded, Chinese aliases, a value map showing the
Chinese label of every coded value (the code tables read here from the database with sqlite3), the
layer title from gpkg_contents. The project stored in qgis_projects: loads, every layer valid, the groups,
the plan's Gauss–Krüger CRS. A render of the project at a fixed extent differs from an unstyled render.

usage: pyqgis_check.py PLAN.gpkg PROJECT_NAME EPSG [SCREENSHOT.png]
"""
import json
import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsCoordinateTransform, QgsFillSymbol, QgsLayoutExporter, QgsLayoutItem,  # noqa: E402
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsProject, QgsSingleSymbolRenderer,
                       QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

db_path, project_name, epsg = sys.argv[1], sys.argv[2], sys.argv[3]
screenshot = sys.argv[4] if len(sys.argv) > 4 else None
failures = []


def check(cond, message):
    if not cond:
        failures.append(message)


def has_cjk(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


app = QgsApplication([], False)
app.initQgis()

con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
schemas = {code: json.loads(text) for code, text in con.execute("SELECT layer_code, schema_json FROM minplan_schema")}
contents = {name: (kind, ident) for name, kind, ident in con.execute("SELECT table_name, data_type, identifier FROM gpkg_contents")}
by_id = {s["id"]: s for s in schemas.values()}


def code_table(table_id):
    s = by_id[table_id]
    code_col = next(f["code"] for f in s["fields"] if f["name"] == "code")
    label_col = next(f["code"] for f in s["fields"] if f["name"] == "label_zh")
    return dict(con.execute(f'SELECT "{code_col}", "{label_col}" FROM "{s["code"]}"'))


styled_layers = 0
for code, schema in schemas.items():
    if code not in contents:
        continue
    layer = QgsVectorLayer(f"{db_path}|layername={code}", code, "ogr")
    check(layer.isValid(), f"{code}: not valid")
    if not layer.isValid():
        continue
    fields = layer.fields()
    for f in schema["fields"]:
        idx = fields.indexOf(f["code"])
        check(idx >= 0, f"{code}.{f['code']}: missing")
        if idx < 0:
            continue
        check(layer.attributeAlias(idx) == f["alias_zh"], f"{code}.{f['code']}: alias {layer.attributeAlias(idx)!r} != {f['alias_zh']!r}")
        if f.get("codes"):
            setup = layer.editorWidgetSetup(idx)
            check(setup.type() == "ValueMap", f"{code}.{f['code']}: widget {setup.type()!r}, expected ValueMap")
            shown = {}
            for entry in setup.config().get("map", []):
                for label, value in entry.items():
                    shown[value] = label
            check(shown == code_table(f["codes"]), f"{code}.{f['code']}: value map {shown} != code table {f['codes']}")
    if schema.get("geometry", "none") != "none":
        check(layer.renderer().type() == "categorizedSymbol", f"{code}: renderer {layer.renderer().type()} (default style not loaded)")
        idx = fields.indexOf("JHLY")
        labels = {}
        for entry in layer.editorWidgetSetup(idx).config().get("map", []):
            labels.update({v: k for k, v in entry.items()})
        check(has_cjk(labels.get("schematic")), f"{code}: geometry_source has no Chinese label for schematic")
        styled_layers += 1
    check(has_cjk(contents[code][1]), f"{code}: gpkg_contents identifier {contents[code][1]!r} is not Chinese")
    check(has_cjk(layer.metadata().title()), f"{code}: layer metadata title {layer.metadata().title()!r}")
check(styled_layers >= 10, f"only {styled_layers} spatial layers checked")

# The project stored in the database, as "Project › Open From › GeoPackage" opens it.
project = QgsProject.instance()
check(project.read(f"geopackage:{db_path}?projectName={project_name}"), "project does not load from qgis_projects")
check(project.crs().authid() == epsg, f"project CRS {project.crs().authid()} != {epsg}")
layers = list(project.mapLayers().values())
check(len(layers) >= 14, f"project has {len(layers)} layers")
for lyr in layers:
    check(lyr.isValid(), f"project layer {lyr.name()} not valid (source {lyr.source()})")
    if lyr.isSpatial():
        check(lyr.crs().isValid() and lyr.crs().authid() == "EPSG:4490", f"project layer {lyr.name()} CRS {lyr.crs().authid()!r} (valid: {lyr.crs().isValid()})")
groups = [g.name() for g in project.layerTreeRoot().children() if g.nodeType() == 0]
for g in ["行政区", "规划分区", "规划区块", "管控范围", "矿业权", "地质环境"]:
    check(g in groups, f"group {g} missing from {groups}")

# The print layout: an A3 sheet with the map, title, legend, scale bar, north arrow and the schematic note.
layout = project.layoutManager().layoutByName("A3 规划图")
check(layout is not None, f"no layout 'A3 规划图' in {[lay.name() for lay in project.layoutManager().layouts()]}")
if layout is not None:
    page = layout.pageCollection().page(0)
    check(round(page.pageSize().width()) == 420 and round(page.pageSize().height()) == 297, f"page {page.pageSize().width()}x{page.pageSize().height()}")
    kinds = {}
    for item in layout.items():
        if isinstance(item, QgsLayoutItem):
            kinds.setdefault(type(item).__name__, []).append(item)
    for kind in ["QgsLayoutItemMap", "QgsLayoutItemLegend", "QgsLayoutItemScaleBar", "QgsLayoutItemPicture"]:
        check(kind in kinds, f"layout has no {kind}: {sorted(kinds)}")
    texts = " ".join(lbl.text() for lbl in kinds.get("QgsLayoutItemLabel", []))
    check("示意" in texts and "EPSG" in texts, f"layout labels lack the schematic note / CRS: {texts!r}")
    maps = kinds.get("QgsLayoutItemMap", [])
    if maps:
        check(maps[0].crs().authid() == epsg, f"layout map CRS {maps[0].crs().authid()}")
        check(maps[0].scale() > 1000, f"layout map scale {maps[0].scale()}")
    for bar in kinds.get("QgsLayoutItemScaleBar", []):
        check(bar.linkedMap() is not None, "scale bar not linked to the map")
    if screenshot:
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = 60
        result = QgsLayoutExporter(layout).exportToImage(screenshot.replace(".png", "-layout.png"), settings)
        check(result == QgsLayoutExporter.Success, f"layout export failed: {result}")

# Render the city at a fixed extent, styled and unstyled (one grey symbol for every layer).
city = next(lyr for lyr in layers if lyr.source().endswith("layername=XZQ_SJ"))
extent = QgsCoordinateTransform(city.crs(), project.crs(), project).transformBoundingBox(city.extent())
extent.scale(1.05)
spatial = [n.layer() for n in project.layerTreeRoot().findLayers() if n.layer().isSpatial()]


def render(layer_list, path=None):
    settings = QgsMapSettings()
    settings.setLayers(layer_list)
    settings.setDestinationCrs(project.crs())
    settings.setTransformContext(project.transformContext())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(900, 900))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if path:
        image.save(path, "PNG")
    return image


styled = render(spatial, screenshot)
plain_layers = []
for lyr in spatial:
    options = QgsVectorLayer.LayerOptions(project.transformContext())
    options.loadDefaultStyle = False
    plain = QgsVectorLayer(lyr.source(), lyr.name(), "ogr", options)
    plain.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "150,150,150,255", "outline_color": "0,0,0,255"})))
    plain_layers.append(plain)
unstyled = render(plain_layers)
different = sum(1 for y in range(0, 900, 5) for x in range(0, 900, 5) if styled.pixel(x, y) != unstyled.pixel(x, y))
check(different > 0.05 * 180 * 180, f"styled and unstyled renders differ in only {different} of {180 * 180} sampled pixels")
# Translucent fills: somewhere inside the city the styled render is neither white nor a single flat colour.
colours = {styled.pixel(x, y) for y in range(0, 900, 9) for x in range(0, 900, 9)}
check(len(colours) > 10, f"styled render has only {len(colours)} colours")

if failures:
    print(f"{len(failures)} problems:")
    for f in failures[:80]:
        print("  " + f)
else:
    print(f"ok: {len(schemas)} tables, {styled_layers} styled spatial layers, project {project_name} in {epsg}, renders differ in {different} samples")
sys.stdout.flush()
# PyQGIS 3.22 may crash while Python tears down its objects after exitQgis(): leave without teardown.
os._exit(1 if failures else 0)
