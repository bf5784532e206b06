//! QR codes drawn by erbij itself (no outside service): an SVG of dark modules, for the
//! survey slips and the dilemma board's join code.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `text` (a URL on this server), `size` pixels wide at least, with the
/// quiet zone; `None` only when the text is too long for a QR code.
pub fn svg(text: &str, size: u32) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_an_svg_for_a_url() {
        let image = super::svg("http://127.0.0.1:8080/s/ABCD-EFGH", 160);
        let image = image.unwrap_or_default();
        assert!(image.contains("<svg"), "{image}");
        assert!(
            image.contains("<path") || image.contains("<rect"),
            "{image}"
        );
    }
}
