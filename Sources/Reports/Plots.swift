import Foundation

/// One series of a plot: per x position, the mean and its 95% interval (low = high = mean without one).
struct PlotSeries {
    var label: String
    var points: [(x: Double, mean: Double, low: Double, high: Double)]
}

/// The frame shared by the plots (and by figure kinds that draw their own): title, plot area, axes with
/// ticks and labels, legend on the right.
struct Frame {
    static let width = 720.0, height = 450.0
    static let left = 72.0, right = 530.0, top = 40.0, bottom = 350.0

    static func legend(_ canvas: inout SVGCanvas, labels: [String], lines: Bool) {
        var y = top + 8
        for (i, label) in labels.enumerated() {
            let x = right + 18
            if lines {
                canvas.line(x, y, x + 26, y, stroke: Palette.colour(i), width: 2, dash: Palette.dash(i))
            }
            canvas.marker(x + 13, y, shape: i, fill: Palette.colour(i))
            canvas.text(x + 34, y + 4, String(label.prefix(26)), size: 11)
            y += 18
        }
    }

    static func axes(_ canvas: inout SVGCanvas, title: String, xLabel: String, yLabel: String, y: Axis, xTicks: [(Double, String)]) {
        canvas.text(width / 2, 22, title, size: 14, anchor: .middle, weight: "bold")
        for tick in y.ticks {
            let py = y.position(tick)
            canvas.line(left, py, right, py, stroke: "#DDDDDD", width: 0.6)
            canvas.text(left - 6, py + 4, Axis.label(tick), size: 10, anchor: .end)
        }
        // Slanted labels when they would not fit side by side (≈ 6 px per character at size 10).
        let slot = (right - left) / Double(max(xTicks.count, 1))
        let slanted = xTicks.contains { Double($0.1.count) * 6 > slot }
        for (px, label) in xTicks {
            canvas.line(px, bottom, px, bottom + 4, stroke: "#333333")
            if slanted {
                canvas.text(px + 3, bottom + 12, label, size: 10, anchor: .end, angle: 30)
            } else {
                canvas.text(px, bottom + 17, label, size: 10, anchor: .middle)
            }
        }
        canvas.line(left, bottom, right, bottom, stroke: "#333333")
        canvas.line(left, top, left, bottom, stroke: "#333333")
        canvas.text((left + right) / 2, bottom + (slanted ? 78 : 40), xLabel, size: 12, anchor: .middle)
        canvas.text(18, (top + bottom) / 2, yLabel, size: 12, anchor: .middle, rotate: true)
    }
}

/// Mean lines over a numeric x (training steps) with shaded 95% bands.
struct LinePlot {
    var title: String
    var xLabel: String
    var yLabel: String
    var logY: Bool
    var series: [PlotSeries]

    var svg: String {
        var canvas = SVGCanvas(width: Frame.width, height: Frame.height)
        let all = series.flatMap(\.points)
        let x = Axis(covering: all.map(\.x), logarithmic: false, pixels: (Frame.left, Frame.right))
        let y = Axis(covering: all.flatMap { [$0.low, $0.high, $0.mean] }, logarithmic: logY, pixels: (Frame.bottom, Frame.top))
        Frame.axes(
            &canvas, title: title, xLabel: xLabel, yLabel: yLabel, y: y,
            xTicks: x.ticks.filter { $0 >= 0 }.map { (x.position($0), Axis.label($0)) })
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.mean.isFinite && (!logY || $0.low > 0) }
            let band = points.map { (x.position($0.x), y.position($0.high)) } + points.reversed().map { (x.position($0.x), y.position($0.low)) }
            canvas.polygon(band, fill: Palette.colour(i), opacity: 0.18)
        }
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.mean.isFinite && (!logY || $0.mean > 0) }
            canvas.polyline(points.map { (x.position($0.x), y.position($0.mean)) }, stroke: Palette.colour(i), width: 2, dash: Palette.dash(i))
            if let last = points.last { canvas.marker(x.position(last.x), y.position(last.mean), shape: i, fill: Palette.colour(i)) }
        }
        Frame.legend(&canvas, labels: series.map(\.label), lines: true)
        return canvas.document
    }
}

/// A reliability diagram: accuracy against mean confidence per bin, the diagonal of perfect calibration,
/// error bars over seeds; points above the diagonal are under-confident, below over-confident.
struct ReliabilityPlot {
    var title: String
    var series: [PlotSeries]

    var svg: String {
        var canvas = SVGCanvas(width: Frame.width, height: Frame.height)
        let x = Axis(covering: [0, 1], logarithmic: false, pixels: (Frame.left, Frame.right))
        let y = Axis(covering: [0, 1], logarithmic: false, pixels: (Frame.bottom, Frame.top))
        Frame.axes(
            &canvas, title: title, xLabel: "confidence (max probability), 15 equal-width bins", yLabel: "accuracy",
            y: y, xTicks: x.ticks.map { (x.position($0), Axis.label($0)) })
        canvas.line(x.position(0), y.position(0), x.position(1), y.position(1), stroke: "#777777", width: 1, dash: "5 3")
        canvas.text(x.position(0.97), y.position(0.99) - 4, "perfect calibration", size: 10, anchor: .end)
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.x.isFinite && $0.mean.isFinite }
            for point in points where point.high > point.low {
                let px = x.position(point.x)
                canvas.line(px, y.position(max(point.low, 0)), px, y.position(min(point.high, 1)), stroke: Palette.colour(i), width: 1.2)
            }
            canvas.polyline(points.map { (x.position($0.x), y.position($0.mean)) }, stroke: Palette.colour(i), width: 1.2, dash: Palette.dash(i))
            for point in points { canvas.marker(x.position(point.x), y.position(point.mean), shape: i, fill: Palette.colour(i)) }
        }
        Frame.legend(&canvas, labels: series.map(\.label), lines: true)
        return canvas.document
    }
}

/// Means with 95% error bars at categorical x positions (sweep values, evaluation sets), one marker
/// shape and colour per series, series side by side within a category.
struct PointPlot {
    var title: String
    var xLabel: String
    var yLabel: String
    var logY: Bool
    var categories: [String]
    /// points[c] for category c (nil: no value).
    var series: [(label: String, points: [(mean: Double, low: Double, high: Double)?])]
    /// Horizontal reference lines (e.g. the raw model and the oracle), grey and labelled at the right.
    var references: [(label: String, value: Double)] = []

    var svg: String {
        var canvas = SVGCanvas(width: Frame.width, height: Frame.height)
        let values =
            series.flatMap { $0.points.compactMap { $0 }.flatMap { [$0.low, $0.high, $0.mean] } }
            + references.map(\.value)
        let y = Axis(covering: values, logarithmic: logY, pixels: (Frame.bottom, Frame.top))
        let slot = (Frame.right - Frame.left) / Double(max(categories.count, 1))
        let center = { (c: Int) in Frame.left + slot * (Double(c) + 0.5) }
        Frame.axes(
            &canvas, title: title, xLabel: xLabel, yLabel: yLabel, y: y,
            xTicks: categories.enumerated().map { (center($0.offset), String($0.element.prefix(24))) })
        let highest = references.map(\.value).filter(\.isFinite).max()
        for reference in references where reference.value.isFinite && (!logY || reference.value > 0) {
            let py = y.position(reference.value)
            canvas.line(Frame.left, py, Frame.right, py, stroke: "#777777", width: 1, dash: "5 3")
            // The highest line is labelled above, the others below, so close lines keep readable labels.
            canvas.text(Frame.right - 4, reference.value == highest ? py - 4 : py + 12, reference.label, size: 10, anchor: .end)
        }
        let spread = min(slot * 0.6, 14.0 * Double(series.count))
        for (i, s) in series.enumerated() {
            let offset = series.count > 1 ? spread * (Double(i) / Double(series.count - 1) - 0.5) : 0
            var path: [(Double, Double)] = []
            for (c, point) in s.points.enumerated() {
                guard let point, point.mean.isFinite, !logY || point.mean > 0 else {
                    canvas.polyline(path, stroke: Palette.colour(i), width: 1, dash: Palette.dash(i))
                    path = []
                    continue
                }
                let px = center(c) + offset
                if point.high > point.low, !logY || point.low > 0 {
                    canvas.line(px, y.position(point.low), px, y.position(point.high), stroke: Palette.colour(i), width: 1.5)
                    canvas.line(px - 3, y.position(point.low), px + 3, y.position(point.low), stroke: Palette.colour(i), width: 1.5)
                    canvas.line(px - 3, y.position(point.high), px + 3, y.position(point.high), stroke: Palette.colour(i), width: 1.5)
                }
                path.append((px, y.position(point.mean)))
            }
            canvas.polyline(path, stroke: Palette.colour(i), width: 1, dash: Palette.dash(i))
            for (c, point) in s.points.enumerated() {
                guard let point, point.mean.isFinite, !logY || point.mean > 0 else { continue }
                canvas.marker(center(c) + offset, y.position(point.mean), shape: i, fill: Palette.colour(i))
            }
        }
        Frame.legend(&canvas, labels: series.map(\.label), lines: false)
        return canvas.document
    }
}

/// 2-D histograms of per-neuron (x, y) values, one panel per configuration, on shared axes: the paper's
/// picture of contamination is mass away from y = 0 (background weight) beside the core weight.
struct HeatMap {
    var title: String
    var xLabel: String
    var yLabel: String
    var panels: [(label: String, points: [(Double, Double)])]
    var bins = 24

    var svg: String {
        let columns = min(panels.count, 2), rows = (panels.count + 1) / 2
        let panelWidth = 320.0, panelHeight = 260.0
        let width = 40 + Double(columns) * (panelWidth + 80) + 50, height = 50 + Double(rows) * (panelHeight + 60)
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(width / 2, 24, title, size: 14, anchor: .middle, weight: "bold")
        let all = panels.flatMap(\.points)
        let xs = all.map(\.0).filter(\.isFinite), ys = all.map(\.1).filter(\.isFinite)
        let xRange = (min(xs.min() ?? 0, 0), max(xs.max() ?? 1, 1e-12)), yRange = (min(ys.min() ?? 0, 0), max(ys.max() ?? 1, 1e-12))
        var counts: [[[Int]]] = []
        for panel in panels {
            var grid = Array(repeating: Array(repeating: 0, count: bins), count: bins)
            for (x, y) in panel.points where x.isFinite && y.isFinite {
                let i = min(Int((x - xRange.0) / (xRange.1 - xRange.0) * Double(bins)), bins - 1)
                let j = min(Int((y - yRange.0) / (yRange.1 - yRange.0) * Double(bins)), bins - 1)
                grid[max(i, 0)][max(j, 0)] += 1
            }
            counts.append(grid)
        }
        let peak = Double(max(counts.flatMap { $0.flatMap { $0 } }.max() ?? 1, 1))
        for (p, panel) in panels.enumerated() {
            let ox = 70 + Double(p % 2) * (panelWidth + 80), oy = 50 + Double(p / 2) * (panelHeight + 60)
            let cell = (panelWidth / Double(bins), panelHeight / Double(bins))
            canvas.rect(ox, oy, panelWidth, panelHeight, fill: "#F2F2F2")
            for i in 0..<bins {
                for j in 0..<bins where counts[p][i][j] > 0 {
                    canvas.rect(
                        ox + Double(i) * cell.0, oy + panelHeight - Double(j + 1) * cell.1, cell.0 + 0.3, cell.1 + 0.3,
                        fill: Palette.sequential(log(Double(counts[p][i][j])) / max(log(peak), 1e-9)))
                }
            }
            canvas.rect(ox, oy, panelWidth, panelHeight, fill: "none", stroke: "#333333")
            canvas.text(ox + panelWidth / 2, oy - 6, panel.label, size: 12, anchor: .middle)
            for k in 0...4 {
                let fx = Double(k) / 4
                canvas.text(
                    ox + fx * panelWidth, oy + panelHeight + 14, Axis.label(roundTick(xRange.0 + fx * (xRange.1 - xRange.0))), size: 9,
                    anchor: .middle)
                canvas.text(
                    ox - 4, oy + panelHeight - fx * panelHeight + 3, Axis.label(roundTick(yRange.0 + fx * (yRange.1 - yRange.0))), size: 9,
                    anchor: .end)
            }
            canvas.text(ox + panelWidth / 2, oy + panelHeight + 32, xLabel, size: 11, anchor: .middle)
            canvas.text(ox - 44, oy + panelHeight / 2, yLabel, size: 11, anchor: .middle, rotate: true)
        }
        // Colour bar: neurons per bin, on a log scale.
        let bx = width - 50, by = 50.0, bh = 200.0
        for k in 0..<40 {
            canvas.rect(bx, by + bh - Double(k + 1) * bh / 40, 14, bh / 40 + 0.3, fill: Palette.sequential(Double(k) / 39))
        }
        canvas.text(bx + 7, by - 8, "neurons (log)", size: 9, anchor: .middle)
        canvas.text(bx + 18, by + 8, String(Int(peak)), size: 9)
        canvas.text(bx + 18, by + bh, "1", size: 9)
        return canvas.document
    }

    private func roundTick(_ value: Double) -> Double {
        Double(formatSignificant(value, 2)) ?? value
    }
}
