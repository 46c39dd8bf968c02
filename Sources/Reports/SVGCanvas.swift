import Foundation

/// A minimal SVG writer: shapes and text in user units, coordinates printed with two decimals so the
/// bytes depend only on the data.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func number(_ value: Double) -> String {
        formatFixed(value, 2)
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String = "") {
        body +=
            "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String = "") {
        guard points.count > 1 else { return }
        body +=
            "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + " stroke-linejoin=\"round\" points=\""
            + points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ") + "\"/>\n"
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double) {
        guard points.count > 2 else { return }
        body +=
            "<polygon fill=\"\(fill)\" fill-opacity=\"\(Self.number(opacity))\" stroke=\"none\" points=\""
            + points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ") + "\"/>\n"
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String = "none") {
        body +=
            "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(w))\" height=\"\(Self.number(h))\" "
            + "fill=\"\(fill)\" stroke=\"\(stroke)\"/>\n"
    }

    /// A marker: circle, square, triangle or diamond (by index), so series differ in grey print too.
    mutating func marker(_ x: Double, _ y: Double, shape: Int, fill: String, size: Double = 3.5) {
        let (cx, cy, s) = (Self.number(x), Self.number(y), size)
        switch shape % 4 {
        case 0: body += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(Self.number(s))\" fill=\"\(fill)\"/>\n"
        case 1: rect(x - s, y - s, 2 * s, 2 * s, fill: fill)
        case 2: polygon([(x, y - s * 1.2), (x + s * 1.1, y + s * 0.9), (x - s * 1.1, y + s * 0.9)], fill: fill, opacity: 1)
        default: polygon([(x, y - s * 1.3), (x + s, y), (x, y + s * 1.3), (x - s, y)], fill: fill, opacity: 1)
        }
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y); `angle` rotates it (degrees, counter-clockwise), `rotate` is −90° (vertical).
    mutating func text(
        _ x: Double, _ y: Double, _ content: String, size: Double = 11, anchor: Anchor = .start,
        rotate: Bool = false, angle: Double = 0, weight: String = "normal"
    ) {
        let degrees = rotate ? 90 : angle
        let transform = degrees != 0 ? " transform=\"rotate(\(Self.number(-degrees)) \(Self.number(x)) \(Self.number(y)))\"" : ""
        body +=
            "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor.rawValue)\""
            + "\(weight == "normal" ? "" : " font-weight=\"\(weight)\"")\(transform)>\(Self.escaped(content))</text>\n"
    }

    var document: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }
}

/// The Okabe–Ito colour-blind-safe palette, each colour paired with a dash pattern and marker so series
/// stay distinguishable in grey print.
enum Palette {
    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    static let dashes = ["", "6 3", "2 2", "8 3 2 3", "4 4", "1 3", "10 2", "3 1 1 1"]

    static func colour(_ index: Int) -> String { colours[index % colours.count] }
    static func dash(_ index: Int) -> String { dashes[(index / colours.count + index) % dashes.count] }

    /// A perceptually ordered sequential ramp (viridis' end points and three interior stops), t ∈ [0, 1].
    static func sequential(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let clamped = min(max(t, 0), 1) * Double(stops.count - 1)
        let i = min(Int(clamped), stops.count - 2), f = clamped - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return String(format: "#%02X%02X%02X", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }
}

/// A linear or logarithmic axis from a data range to pixels, with "nice" ticks (1, 2, 5 × 10^k).
struct Axis {
    var low: Double
    var high: Double
    let logarithmic: Bool
    let pixelLow: Double
    let pixelHigh: Double

    /// An axis covering `values` (finite ones; positive ones on a log axis), padded by 5%.
    init(covering values: [Double], logarithmic: Bool, pixels: (Double, Double), includeZero: Bool = false) {
        self.logarithmic = logarithmic
        pixelLow = pixels.0
        pixelHigh = pixels.1
        var usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        if includeZero && !logarithmic { usable.append(0) }
        var lo = usable.min() ?? 0, hi = usable.max() ?? 1
        if logarithmic {
            if usable.isEmpty { (lo, hi) = (1, 10) }
            lo = log10(lo)
            hi = log10(hi)
        }
        if hi - lo < 1e-12 * max(abs(hi), 1) {
            lo -= max(abs(lo) * 0.1, 0.5)
            hi += max(abs(hi) * 0.1, 0.5)
        }
        let pad = (hi - lo) * 0.05
        low = (includeZero && !logarithmic && lo == 0) ? 0 : lo - pad
        high = hi + pad
    }

    func position(_ value: Double) -> Double {
        let v = logarithmic ? log10(max(value, 1e-300)) : value
        return pixelLow + (v - low) / (high - low) * (pixelHigh - pixelLow)
    }

    /// Tick values in data units: 1-2-5 steps on a linear axis; powers of ten on a log axis, with 2 and
    /// 5 × 10^k added (or linear steps used) when the range spans too few decades.
    var ticks: [Double] {
        guard logarithmic else { return Self.linearTicks(low, high) }
        let decades = Int(low.rounded(.down))...Int(high.rounded(.up))
        let powers = decades.map { pow(10, Double($0)) }.filter { log10($0) >= low && log10($0) <= high }
        if powers.count >= 3 { return powers }
        let mixed = decades.flatMap { k in [1.0, 2, 5].map { $0 * pow(10, Double(k)) } }.filter { log10($0) >= low && log10($0) <= high }
        if mixed.count >= 3 { return mixed }
        return Self.linearTicks(pow(10, low), pow(10, high)).filter { $0 > 0 }
    }

    static func linearTicks(_ low: Double, _ high: Double) -> [Double] {
        let raw = (high - low) / 5
        guard raw > 0, raw.isFinite else { return [] }
        let exponent = Int(log10(raw).rounded(.down))
        let scale = pow(10, Double(abs(exponent)))
        let unit = { (integer: Int) in exponent >= 0 ? Double(integer) * scale : Double(integer) / scale }
        let mantissa = [1, 2, 5, 10].first { unit($0) >= raw } ?? 10
        let first = Int((low / unit(mantissa) - 1e-9).rounded(.up)), last = Int((high / unit(mantissa) + 1e-9).rounded(.down))
        guard last >= first else { return [] }
        // (k·mantissa)·10^e from integers, so ticks print as 0.6, not 0.6000000000000001.
        return (first...last).map { unit($0 * mantissa) }
    }

    static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.0e", value) }
        if value == value.rounded() { return String(Int(value)) }
        return formatSignificant(value, 3).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
