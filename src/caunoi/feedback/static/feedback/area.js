/* Drawing a unit's area, on top of a form that works without it: the GeoJSON text box stays
   the source of truth. Leaflet.draw (shipped with django-leaflet, like Leaflet) draws and edits
   polygons and rectangles; every change is written back to the box as a Polygon (one shape) or
   a MultiPolygon (several), [longitude, latitude] as GeoJSON wants. */
(function () {
  "use strict";
  var element = document.getElementById("area-map");
  var box = document.getElementById("id_a-geojson");
  if (!element || !box || typeof L === "undefined" || !L.Control.Draw) { return; }
  var words = JSON.parse(document.getElementById("draw-texts").textContent);

  var t = L.drawLocal;
  t.draw.toolbar.buttons.polygon = words.polygon;
  t.draw.toolbar.buttons.rectangle = words.rectangle;
  t.draw.toolbar.actions.text = words.cancel; t.draw.toolbar.actions.title = words.cancel;
  t.draw.toolbar.finish.text = words.finish; t.draw.toolbar.finish.title = words.finish;
  t.draw.toolbar.undo.text = words.undo; t.draw.toolbar.undo.title = words.undo;
  t.draw.handlers.polygon.tooltip = { start: words.start, cont: words.cont, end: words.end };
  t.draw.handlers.polygon.error = words.error;
  t.draw.handlers.rectangle.tooltip.start = words.rectangle_start;
  t.draw.handlers.simpleshape.tooltip.end = words.release;
  t.edit.toolbar.buttons.edit = words.edit; t.edit.toolbar.buttons.editDisabled = words.edit;
  t.edit.toolbar.buttons.remove = words.remove; t.edit.toolbar.buttons.removeDisabled = words.remove;
  t.edit.toolbar.actions.save = { text: words.save, title: words.save };
  t.edit.toolbar.actions.cancel = { text: words.cancel, title: words.cancel };
  t.edit.toolbar.actions.clearAll = { text: words.clear, title: words.clear };
  t.edit.handlers.edit.tooltip = { text: words.edit_tip, subtext: "" };
  t.edit.handlers.remove.tooltip = { text: words.remove_tip };

  var centre = (element.dataset.center || "16,106,6").split(",").map(Number);
  var map = L.map(element).setView([centre[0], centre[1]], centre[2]);
  L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
  var shapes = new L.FeatureGroup().addTo(map);
  map.addControl(new L.Control.Draw({
    position: "topleft",
    draw: {
      polygon: { allowIntersection: false, showArea: false },
      rectangle: { showArea: false },
      polyline: false, circle: false, marker: false, circlemarker: false
    },
    edit: { featureGroup: shapes }
  }));

  function load() {
    var text = box.value.trim();
    if (!text) { shapes.clearLayers(); return; }
    var geometry;
    try { geometry = JSON.parse(text); } catch (e) { return; }  // the server explains what is wrong
    if (geometry.type === "FeatureCollection" && geometry.features.length) { geometry = geometry.features[0]; }
    if (geometry.type === "Feature") { geometry = geometry.geometry; }
    if (!geometry || (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")) { return; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    shapes.clearLayers();
    polygons.forEach(function (rings) {
      shapes.addLayer(L.polygon(rings.map(function (ring) {
        return ring.map(function (p) { return [p[1], p[0]]; });
      })));
    });
    if (shapes.getLayers().length) { map.fitBounds(shapes.getBounds(), { padding: [20, 20] }); }
  }

  function save() {
    var polygons = shapes.getLayers().map(function (layer) {
      return layer.toGeoJSON(6).geometry.coordinates;
    });
    if (!polygons.length) { box.value = ""; }
    else if (polygons.length === 1) { box.value = JSON.stringify({ type: "Polygon", coordinates: polygons[0] }); }
    else { box.value = JSON.stringify({ type: "MultiPolygon", coordinates: polygons }); }
  }

  map.on(L.Draw.Event.CREATED, function (event) { shapes.addLayer(event.layer); save(); });
  map.on(L.Draw.Event.EDITED, save);
  map.on(L.Draw.Event.DELETED, save);
  box.addEventListener("change", load);
  load();
})();
