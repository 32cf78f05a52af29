/* The report maps, on top of a form that works without them: the report form's map fills the
   latitude and longitude fields on a click; the public map shows the listed reports. Leaflet
   comes from django-leaflet's static files; tiles from the configured tile server. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  function base(element) {
    var centre = (element.dataset.center || "16,106,6").split(",").map(Number);
    var map = L.map(element).setView([centre[0], centre[1]], centre[2]);
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    return map;
  }
  var picker = document.getElementById("report-map");
  if (picker) {
    var map = base(picker);
    var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      lat.value = latlng.lat.toFixed(6); lon.value = latlng.lng.toFixed(6);
    }
    if (lat.value && lon.value) { place(L.latLng(Number(lat.value), Number(lon.value))); map.setView(marker.getLatLng(), 16); }
    map.on("click", function (event) { place(event.latlng); });
  }
  var shown = document.getElementById("reports-map");
  var data = document.getElementById("report-points");
  if (shown && data) {
    var points = JSON.parse(data.textContent);
    var all = base(shown), bounds = [];
    points.forEach(function (p) {
      var link = document.createElement("a");
      link.href = "/phan-anh/" + p.id + "/"; link.textContent = p.id + " — " + p.status;
      L.circleMarker([p.lat, p.lon], { radius: 6 }).addTo(all).bindPopup(link);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) { all.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
  }
})();
