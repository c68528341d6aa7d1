// Draws every <figure class="chart" data-spec="ID"> as SVG from the Vega-Lite spec in
// <script type="application/json" id="ID"> (Django's json_script). Loaded with defer after
// vendor/vega, vega-lite and vega-embed, so the page is parsed and their globals exist.
// The data table in each figure stays the text alternative, and the fallback when drawing fails.
(function () {
  "use strict";
  const figures = document.querySelectorAll("figure.chart[data-spec]");
  if (!figures.length) return;

  const options = {
    renderer: "svg", // SVG gives every mark an aria-label; a canvas would be one opaque image
    actions: false,
    // The CSP forbids eval: Vega interprets expressions from their syntax tree instead of compiling
    // them to functions. vega 6.4 has no expressionInterpreter, and vega-embed then uses its own.
    ast: true,
    expr: window.vega && window.vega.expressionInterpreter,
    // The CSP also blocks inline <style>: vega-embed and vega-tooltip must not add theirs.
    // vendor/vega-tooltip.css and charts.css style the same things from files.
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  function fail(figure, canvas, error) {
    console.error("Chart " + figure.dataset.spec + " could not be drawn:", error);
    figure.dataset.chartState = "failed";
    if (!canvas) return;
    // Nothing is drawn, so the canvas no longer claims to be an image.
    canvas.removeAttribute("role");
    canvas.removeAttribute("aria-label");
    const message = document.createElement("p");
    message.className = "chart-error";
    message.textContent = "The chart could not be drawn. The table holds the same numbers.";
    canvas.replaceChildren(message);
  }

  function draw(figure) {
    const canvas = figure.querySelector(".chart-canvas");
    try {
      const source = document.getElementById(figure.dataset.spec);
      if (!canvas) throw new Error("the figure has no .chart-canvas");
      if (!source) throw new Error("no spec with id " + figure.dataset.spec);
      if (typeof window.vegaEmbed !== "function") throw new Error("vega-embed did not load");
      const spec = JSON.parse(source.textContent);
      window.vegaEmbed(canvas, spec, options).then(
        function () {
          figure.dataset.chartState = "drawn";
        },
        function (error) {
          fail(figure, canvas, error);
        },
      );
    } catch (error) {
      fail(figure, canvas, error);
    }
  }

  figures.forEach(draw);
})();
