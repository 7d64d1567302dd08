/* carbon — our only script. The Content-Security-Policy forbids inline scripts, so every bit of
   behaviour lives here and reads what it needs from the page: the CSRF token from
   <meta name="csrf-token">, messages from data-* attributes of #notice (translated by the server),
   chart data from <script type="application/json"> blocks.

   Chart markup (the table next to it stays the accessible version of the same numbers):

     <figure class="chart">
       <div class="chart__canvas">
         <canvas data-chart="bar" data-chart-source="chart-by-category" role="img"
                 aria-label="Emissions by category"></canvas>
       </div>
       <script type="application/json" id="chart-by-category">{{ data | tojson }}</script>
     </figure>

   data-chart is "bar", "doughnut" or "line"; the JSON is
     {"labels": [...], "series": [{"label": "2024", "values": [...], "dashed": false}],
      "unit": "t CO₂e", "palette": [1, 2, 4], "horizontal": false}
   "palette" (optional) gives each label its colour number (--chart-1 … --chart-6 in app.css),
   so a BEGES category keeps its colour when another category is absent. Instead of a JSON block,
   small charts may put the same JSON in a data-chart-data attribute. */
(function () {
  "use strict";

  // ---- CSRF: htmx sends the session's token with every request --------------------------------

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const token = csrfToken();
    // htmx.config.selfRequestsOnly (base.html) keeps the token from leaving the site.
    if (token) {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // ---- Failed htmx requests: htmx alone would fail silently ------------------------------------

  function showNotice(kind) {
    const notice = document.getElementById("notice");
    if (!notice) {
      return;
    }
    notice.textContent = notice.dataset[kind] || notice.dataset.error || "";
    notice.hidden = false;
  }

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    // 403 from an htmx request is nearly always a stale CSRF token: the session has expired.
    showNotice(status === 403 ? "forbidden" : "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showNotice("network");
  });

  document.addEventListener("htmx:beforeRequest", function () {
    const notice = document.getElementById("notice");
    if (notice) {
      notice.hidden = true;
    }
  });

  // ---- Charts -----------------------------------------------------------------------------------

  const CHART_TYPES = ["bar", "doughnut", "line"];

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function palette() {
    const colours = [];
    for (let i = 1; i <= 6; i += 1) {
      colours.push(cssVar("--chart-" + i) || "#000091");
    }
    return colours;
  }

  function readData(canvas) {
    const sourceId = canvas.dataset.chartSource;
    let text = canvas.dataset.chartData || null;
    if (sourceId) {
      const block = document.getElementById(sourceId);
      text = block ? block.textContent : null;
    }
    if (!text) {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      console.error("carbon: unreadable chart data", sourceId || canvas, error);
      return null;
    }
  }

  function numberFormat(locale) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function buildConfig(type, data, locale) {
    const colours = palette();
    const keys = Array.isArray(data.palette) ? data.palette : null;
    const colourOf = function (index) {
      const key = keys && keys[index] ? keys[index] - 1 : index;
      return colours[((key % colours.length) + colours.length) % colours.length];
    };
    const labels = data.labels || [];
    const series = data.series || [];
    // One series (a total per category) is coloured per bar or slice; several series (years,
    // scenarios) are coloured per series so the legend means something.
    const perLabel = type === "doughnut" || (type === "bar" && series.length === 1);
    const labelColours = labels.map(function (_label, index) {
      return colourOf(index);
    });
    const datasets = series.map(function (serie, index) {
      const colour = perLabel ? labelColours : colourOf(index);
      return {
        label: serie.label || "",
        data: serie.values || [],
        backgroundColor: colour,
        borderColor: type === "doughnut" ? cssVar("--surface") || "#fff" : colour,
        borderWidth: type === "line" ? 2 : 1,
        borderDash: serie.dashed ? [6, 4] : [],
        pointRadius: 3,
        tension: 0,
      };
    });

    const unit = data.unit || "";
    const formatter = numberFormat(locale);
    const withUnit = function (value) {
      return unit ? formatter.format(value) + "\u00a0" + unit : formatter.format(value);
    };
    const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const textColour = cssVar("--chart-text") || "#3a3a3a";
    const gridColour = cssVar("--chart-grid") || "#e5e5e5";

    const options = {
      responsive: true,
      maintainAspectRatio: false,
      locale: locale,
      animation: reducedMotion ? false : { duration: 300 },
      color: textColour,
      plugins: {
        legend: { display: type === "doughnut" || series.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (context) {
              const value = context.parsed && typeof context.parsed === "object"
                ? context.parsed[type === "bar" && data.horizontal ? "x" : "y"]
                : context.parsed;
              // The tooltip title already names the bar or point; a slice needs its own name.
              const name = type === "doughnut" ? context.label : perLabel ? "" : context.dataset.label;
              let text = name ? name + ": " + withUnit(value) : withUnit(value);
              if (type === "doughnut") {
                const total = context.dataset.data.reduce(function (sum, v) {
                  return sum + (Number(v) || 0);
                }, 0);
                if (total > 0) {
                  text += " (" + new Intl.NumberFormat(locale, {
                    style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
                  }).format(value / total) + ")";
                }
              }
              return text;
            },
          },
        },
      },
    };

    if (type !== "doughnut") {
      const valueAxis = {
        beginAtZero: true,
        grid: { color: gridColour },
        ticks: { color: textColour },
        title: { display: Boolean(unit), text: unit, color: textColour },
      };
      const categoryAxis = { grid: { display: false }, ticks: { color: textColour } };
      const horizontal = type === "bar" && Boolean(data.horizontal);
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = horizontal
        ? { x: valueAxis, y: categoryAxis }
        : { x: categoryAxis, y: valueAxis };
    }

    return { type: type, data: { labels: labels, datasets: datasets }, options: options };
  }

  function renderChart(canvas) {
    const type = canvas.dataset.chart;
    if (CHART_TYPES.indexOf(type) === -1 || window.Chart.getChart(canvas)) {
      return;
    }
    const data = readData(canvas);
    if (!data) {
      return;
    }
    const locale = document.documentElement.lang || "fr";
    // Chart.js draws text on the canvas in its own default font, not the page's.
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new window.Chart(canvas, buildConfig(type, data, locale));
  }

  function renderCharts(root) {
    if (!window.Chart || !root || !root.querySelectorAll) {
      return;
    }
    if (root.matches && root.matches("canvas[data-chart]")) {
      renderChart(root);
    }
    root.querySelectorAll("canvas[data-chart]").forEach(renderChart);
  }

  // Charts swapped out by htmx are destroyed, or Chart.js keeps them (and their listeners) alive.
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    const element = event.detail.elt;
    if (window.Chart && element && element.matches && element.matches("canvas[data-chart]")) {
      const chart = window.Chart.getChart(element);
      if (chart) {
        chart.destroy();
      }
    }
  });

  // htmx.onLoad runs for the page at start-up and for every piece of content htmx swaps in.
  if (window.htmx) {
    window.htmx.onLoad(renderCharts);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      renderCharts(document);
    });
  }
})();
