import Faults

/// Makes text from outside (customer names, reasons) safe to draw: control characters and
/// escape sequences become visible, inert placeholders, so nothing reaches the terminal raw.
///
/// C0 controls show as their Control Pictures (ESC → ␛, BEL → ␇, NUL → ␀), DEL as ␡, and C1
/// controls and bidi overrides/isolates (which could reorder a line) as �.
public func sanitize(_ text: String) -> String {
    if Faults.active.contains(.rawText) { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        let value = scalar.value
        switch value {
        case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + value) ?? "�")
        case 0x7F: out.append("\u{2421}")
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: out.append("\u{FFFD}")
        default: out.append(scalar)
        }
    }
    return String(out)
}
