//! The fan-out plot for the README: latency from create to receipt with one event in
//! flight (p50 dashed, p99 solid), and delivered events/s with the saturating window,
//! against the number of connected clients, for each server. A self-contained SVG,
//! log scales on both axes.

use std::fmt::Write as _;

use crate::suite::{FanoutPoint, ServerReport};

const PANEL_WIDTH: f64 = 420.0;
const PANEL_HEIGHT: f64 = 300.0;
const MARGIN_LEFT: f64 = 70.0;
const MARGIN_TOP: f64 = 40.0;
const MARGIN_BOTTOM: f64 = 50.0;
const GAP: f64 = 90.0;
const COLORS: [&str; 3] = ["#d9480f", "#1c7ed6", "#2b8a3e"];

/// A log-scaled axis over whole decades.
struct LogAxis {
    low: f64,
    high: f64,
}

impl LogAxis {
    fn covering(values: impl Iterator<Item = f64>) -> LogAxis {
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        for value in values.filter(|v| *v > 0.0 && v.is_finite()) {
            low = low.min(value);
            high = high.max(value);
        }
        if low > high {
            return LogAxis {
                low: 1.0,
                high: 10.0,
            };
        }
        let low = 10f64.powf(low.log10().floor());
        let mut high = 10f64.powf(high.log10().ceil());
        if high <= low {
            high = low * 10.0;
        }
        LogAxis { low, high }
    }

    /// Where `value` falls, from 0 (low) to 1 (high).
    fn fraction(&self, value: f64) -> f64 {
        (value.max(self.low).log10() - self.low.log10()) / (self.high.log10() - self.low.log10())
    }

    /// 1, 2 and 5 times each decade.
    fn ticks(&self) -> Vec<f64> {
        let mut ticks = Vec::new();
        let mut decade = self.low;
        while decade <= self.high * 1.0001 {
            for step in [1.0, 2.0, 5.0] {
                let tick = decade * step;
                if tick <= self.high * 1.0001 {
                    ticks.push(tick);
                }
            }
            decade *= 10.0;
        }
        ticks
    }
}

fn label(value: f64, unit: &str) -> String {
    if unit == "ms" && value < 1.0 {
        return format!("{value}");
    }
    if value >= 1e6 {
        format!("{}M", value / 1e6)
    } else if value >= 1e3 {
        format!("{}k", value / 1e3)
    } else {
        format!("{value}")
    }
}

struct Series {
    name: String,
    color: &'static str,
    dashed: bool,
    points: Vec<(f64, f64)>,
}

fn panel(
    svg: &mut String,
    left: f64,
    title: &str,
    unit: &str,
    x_values: &[f64],
    series: &[Series],
) {
    let x_axis = LogAxis::covering(x_values.iter().copied());
    let y_axis = LogAxis::covering(series.iter().flat_map(|s| s.points.iter().map(|p| p.1)));
    let x_of = |x: f64| left + x_axis.fraction(x) * PANEL_WIDTH;
    let y_of = |y: f64| MARGIN_TOP + (1.0 - y_axis.fraction(y)) * PANEL_HEIGHT;
    let bottom = MARGIN_TOP + PANEL_HEIGHT;
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{title}</text>"#,
        left + PANEL_WIDTH / 2.0,
        MARGIN_TOP - 15.0
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{left}\" y=\"{MARGIN_TOP}\" width=\"{PANEL_WIDTH}\" height=\"{PANEL_HEIGHT}\" fill=\"none\" stroke=\"#444\"/>"
    );
    for tick in y_axis.ticks() {
        let y = y_of(tick);
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + PANEL_WIDTH,
            left - 6.0,
            y + 4.0,
            label(tick, unit)
        );
    }
    for &x_value in x_values {
        let x = x_of(x_value);
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{MARGIN_TOP}\" y2=\"{bottom}\" stroke=\"#eee\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            bottom + 18.0,
            label(x_value, "")
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">connected Socket.io clients</text>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 {} {})\">{unit}</text>",
        left + PANEL_WIDTH / 2.0,
        bottom + 40.0,
        left - 52.0,
        MARGIN_TOP + PANEL_HEIGHT / 2.0,
        left - 52.0,
        MARGIN_TOP + PANEL_HEIGHT / 2.0,
    );
    for (index, line) in series.iter().enumerate() {
        let mut points: Vec<(f64, f64)> =
            line.points.iter().filter(|p| p.1 > 0.0).copied().collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", x_of(x), y_of(y)))
            .collect();
        let dash = if line.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{dash}/>"#,
            path.join(" "),
            line.color
        );
        for &(x, y) in &points {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}"/>"#,
                x_of(x),
                y_of(y),
                line.color
            );
        }
        // Bottom left, where neither low latencies nor low rates reach on these plots.
        let from_bottom = (series.len() - index) as f64;
        let legend_y = MARGIN_TOP + PANEL_HEIGHT + 4.0 - from_bottom * 16.0;
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{legend_y}\" y2=\"{legend_y}\" stroke=\"{}\" stroke-width=\"2\"{dash}/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            left + 10.0,
            left + 34.0,
            line.color,
            left + 40.0,
            legend_y + 4.0,
            line.name
        );
    }
}

/// The SVG for these servers' fan-out runs.
pub fn fanout_svg(reports: &[&ServerReport]) -> String {
    let mut x_values: Vec<f64> = reports
        .iter()
        .flat_map(|report| report.fanout.iter().map(|point| point.clients as f64))
        .collect();
    x_values.sort_by(f64::total_cmp);
    x_values.dedup();
    let mut latency = Vec::new();
    let mut rate = Vec::new();
    for (report, color) in reports.iter().zip(COLORS) {
        let points = |f: &dyn Fn(&FanoutPoint) -> f64| -> Vec<(f64, f64)> {
            report
                .fanout
                .iter()
                .map(|point| (point.clients as f64, f(point)))
                .collect()
        };
        latency.push(Series {
            name: format!("{} p99", report.name),
            color,
            dashed: false,
            points: points(&|p| p.single.p99.as_secs_f64() * 1e3),
        });
        latency.push(Series {
            name: format!("{} p50", report.name),
            color,
            dashed: true,
            points: points(&|p| p.single.p50.as_secs_f64() * 1e3),
        });
        rate.push(Series {
            name: report.name.clone(),
            color,
            dashed: false,
            points: points(&|p| p.saturated.rate()),
        });
    }
    let right = MARGIN_LEFT * 2.0 + PANEL_WIDTH + GAP;
    let width = right + PANEL_WIDTH + 30.0;
    let height = MARGIN_TOP + PANEL_HEIGHT + MARGIN_BOTTOM + 10.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    panel(
        &mut svg,
        MARGIN_LEFT,
        "Latency, create → receipt, 1 event in flight",
        "ms",
        &x_values,
        &latency,
    );
    panel(
        &mut svg,
        right,
        &format!(
            "Events delivered/s, {} in flight",
            crate::fanout::SATURATING
        ),
        "events/s",
        &x_values,
        &rate,
    );
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axes_cover_whole_decades() {
        let axis = LogAxis::covering([3.0, 420.0].into_iter());
        assert_eq!((axis.low, axis.high), (1.0, 1000.0));
        assert!((axis.fraction(10.0) - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(axis.ticks().first(), Some(&1.0));
        assert_eq!(axis.ticks().last(), Some(&1000.0));
    }

    #[test]
    fn the_plot_is_an_svg_document_with_one_line_per_series() {
        let svg = fanout_svg(&[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    }
}
