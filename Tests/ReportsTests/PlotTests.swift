import Numerics
@testable import Reports
import Studies
import Testing

@Suite("Figures and LaTeX tables")
struct PlotTests {
    @Test("Axes: nice 1-2-5 ticks inside the range; log axes use decades, or 2 and 5 × 10^k over a short range")
    func ticks() {
        let linear = Axis(covering: [0.13, 0.97], logarithmic: false, pixels: (0, 100))
        #expect(linear.ticks == [0.2, 0.4, 0.6, 0.8, 1])  // the range is padded by 5%: [0.088, 1.012]
        #expect(linear.position(linear.low) == 0 && linear.position(linear.high).isApproximatelyEqual(to: 100, absoluteTolerance: 1e-12))
        let wide = Axis(covering: [0.001, 50], logarithmic: true, pixels: (0, 100))
        #expect(wide.ticks == [0.001, 0.01, 0.1, 1, 10])
        let short = Axis(covering: [0.15, 0.9], logarithmic: true, pixels: (0, 100))
        #expect(short.ticks.count >= 3 && short.ticks.allSatisfy { $0 > 0.1 && $0 < 1 })
        let flat = Axis(covering: [2, 2], logarithmic: false, pixels: (0, 100))
        #expect(flat.low < 2 && flat.high > 2)
        #expect(Axis.label(0.25) == "0.25" && Axis.label(2000) == "2000" && Axis.label(1e-5) == "1e-05")
    }

    @Test("SVG text is escaped; the palette is Okabe–Ito with a distinct dash per series")
    func svgBasics() {
        var canvas = SVGCanvas(width: 10, height: 10)
        canvas.text(1, 1, "a < b & \"c\"")
        #expect(canvas.document.contains("a &lt; b &amp; &quot;c&quot;"))
        #expect(Palette.colour(0) == "#0072B2" && Palette.colour(8) == Palette.colour(0))
        #expect(Set((0..<8).map(Palette.dash)).count == 8)
        #expect(Palette.sequential(0) == "#440154" && Palette.sequential(1) == "#FDE725")
    }

    @Test("Plots with missing values and a single series still draw, deterministically")
    func plotsDraw() {
        let series = [PlotSeries(label: "relu", points: [(0, 1, 0.9, 1.1), (10, .nan, .nan, .nan), (20, 2, 1.8, 2.2)])]
        let plot = LinePlot(title: "t", xLabel: "x", yLabel: "y", logY: false, series: series)
        let again = LinePlot(title: "t", xLabel: "x", yLabel: "y", logY: false, series: series)
        #expect(plot.svg == again.svg && plot.svg.contains("<polyline") && !plot.svg.contains("nan"))
        let points = PointPlot(
            title: "t", xLabel: "x", yLabel: "y", logY: true, categories: ["a", "b"],
            series: [(label: "s", points: [(1, 0.5, 2), nil])])
        #expect(points.svg.contains("<circle") && !points.svg.contains("nan"))
    }

    @Test("LaTeX: booktabs rules, escaped text, mean ± CI as math")
    func latex() {
        let table = LaTeXTable(
            caption: "ood_loss 50% & more", label: "tab:x", header: ["metric", "relu"],
            rows: [[.text("ood_loss_flip"), .estimate(Estimate([0.775, 0.7734, 0.7707]))], [.text("n"), .text("–")]],
            alignment: "lr")
        #expect(table.text.contains("\\toprule") && table.text.contains("\\midrule") && table.text.contains("\\bottomrule"))
        #expect(table.text.contains("ood\\_loss 50\\% \\& more"))
        #expect(table.text.contains("ood\\_loss\\_flip & $0.773 \\pm 0.005$ \\\\"))
        #expect(LaTeXTable.cell(.estimate(Estimate([0.82, .nan, 0.84, 0.86]))) == "$0.84 \\pm 0.05$ (1 undefined)")
        #expect(LaTeXTable.cell(.estimate(Estimate([2.0]))) == "2.00" && LaTeXTable.cell(.text("a_b")) == "a\\_b")
    }
}
