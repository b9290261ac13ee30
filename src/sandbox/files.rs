//! `GET /files/<EXPORT_ID>.mp4`: the sample MP4, with single byte ranges.

use super::http::{Response, message};

/// The answer to a GET of `data`, honouring `Range: bytes=N-` and `bytes=N-M`.
pub fn ranged(data: &'static [u8], range: Option<&str>) -> Response {
    let total = data.len();
    match range.and_then(parse_range) {
        None => Response::new(200, "video/mp4", data),
        Some((start, _)) if start >= total => message(416, "the range starts past the end")
            .header("Content-Range", format!("bytes */{total}")),
        Some((start, end)) => {
            let end = end.map_or(total - 1, |e| e.min(total - 1));
            Response::new(206, "video/mp4", &data[start..=end])
                .header("Content-Range", format!("bytes {start}-{end}/{total}"))
        }
    }
}

/// `bytes=N-` or `bytes=N-M` with M >= N. Suffix and multiple ranges, and anything
/// malformed, are ignored (the whole file is sent), as RFC 9110 allows.
fn parse_range(value: &str) -> Option<(usize, Option<usize>)> {
    let (first, last) = value.trim().strip_prefix("bytes=")?.split_once('-')?;
    let digits = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<usize>().ok())
            .flatten()
    };
    let start = digits(first)?;
    let end = match last.trim() {
        "" => None,
        last => Some(digits(last).filter(|&e| e >= start)?),
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=5-"), Some((5, None)));
        assert_eq!(parse_range("bytes=5-9"), Some((5, Some(9))));
        for ignored in [
            "bytes=-5",
            "bytes=9-5",
            "bytes=1-2,4-5",
            "items=1-",
            "bytes=+1-",
            "bytes=x-",
        ] {
            assert_eq!(parse_range(ignored), None, "{ignored}");
        }
    }
}
