// Draws the network graph embedded in the page (#graph-data) with the vendored cytoscape.js.
// No inline script and no request: the page's Content-Security-Policy stays strict.
(function () {
  "use strict";
  var holder = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!holder || !source || typeof cytoscape !== "function") { return; }
  var data = JSON.parse(source.textContent);
  var elements = [];
  data.nodes.forEach(function (n) { elements.push({ group: "nodes", data: n }); });
  data.edges.forEach(function (e) { elements.push({ group: "edges", data: e }); });
  var colours = { phone: "#c0392b", bank_account: "#8e44ad", ewallet: "#8e44ad", crypto_wallet: "#d35400",
                  url: "#2471a3", domain: "#2471a3", social_handle: "#117a65", email: "#7f8c8d" };
  var big = data.nodes.length > 800;
  var cy = cytoscape({
    container: holder,
    elements: elements,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    style: [
      { selector: "node[type = 'report']", style: { "shape": "ellipse", "width": 12, "height": 12,
        "background-color": "#5d6d7e", "label": big ? "" : "data(country)", "font-size": 7 } },
      { selector: "node[type = 'indicator']", style: { "shape": "round-rectangle",
        "width": "mapData(reports, 2, 50, 16, 40)", "height": "mapData(reports, 2, 50, 16, 40)",
        "background-color": function (n) { return colours[n.data("kind")] || "#34495e"; },
        "label": "data(label)", "font-size": 8, "text-wrap": "ellipsis", "text-max-width": 120 } },
      { selector: "edge", style: { "width": 1, "line-color": "#c8ced3", "curve-style": "haystack" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#f1c40f" } }
    ],
    layout: { name: big ? "grid" : "cose", animate: false, randomize: false, numIter: 600 }
  });
  cy.on("tap", "node", function (evt) {
    var d = evt.target.data();
    holder.setAttribute("data-selected", d.id);
    holder.title = d.type === "report" ? ("Report " + d.label + " (" + d.country + ", " + d.typology + ")")
                                       : (d.kind + ": " + d.label + " — " + d.reports + " reports");
  });
  holder.setAttribute("data-ready", String(cy.nodes().length));
  window.tangkalGraph = cy;
}());
