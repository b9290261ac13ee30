//! `POST /tasks/video-to-shorts`, `POST /tasks/video-to-video`: the body as the real
//! API plausibly checks it, and what a task becomes.

use reqwest::Url;
use serde_json::{Map, Value};

/// Projects a shorts task makes when the body names no count, and at most.
const DEFAULT_CLIPS: u64 = 10;
pub const MAX_CLIPS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder of this many projects.
    Shorts(usize),
    /// One project with no folder.
    Video,
}

/// What a valid body asks for.
#[derive(Debug, PartialEq, Eq)]
pub struct Order {
    pub kind: Kind,
    /// The source URL contains `fail`: the task ends in error.
    pub fails: bool,
}

/// The fields of each route (vendor docs); anything else is refused, so a client's
/// typo shows up here rather than being silently ignored.
const SHORTS_FIELDS: [&str; 12] = [
    "source_video_url",
    "language",
    "translate_to",
    "name",
    "target_clip_count",
    "max_clip_count",
    "min_duration",
    "max_duration",
    "target_duration",
    "editing_options",
    "dimensions",
    "style_preset_id",
];
const VIDEO_FIELDS: [&str; 4] = [
    "source_video_url",
    "language",
    "editing_options",
    "dimensions",
];
const EDITING: [&str; 5] = [
    "captions",
    "reframe",
    "emojis",
    "intro_title",
    "remove_silences",
];

/// Checks a task body; the error is the message of a 400.
pub fn check(body: &str, shorts: bool) -> Result<Order, String> {
    let obj = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(obj)) => obj,
        _ if body.trim().is_empty() => return Err("source_video_url is required".into()),
        _ => return Err("malformed JSON body: expected an object".into()),
    };
    let (fields, route): (&[&str], _) = if shorts {
        (&SHORTS_FIELDS, "video-to-shorts")
    } else {
        (&VIDEO_FIELDS, "video-to-video")
    };
    if let Some(unknown) = obj.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(format!("{route} does not take the field '{unknown}'"));
    }
    let url = match obj.get("source_video_url") {
        None | Some(Value::Null) => return Err("source_video_url is required".into()),
        Some(Value::String(url)) => url,
        Some(_) => return Err("source_video_url must be a string".into()),
    };
    let web = Url::parse(url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if !web {
        return Err("source_video_url must be an http(s) URL".into());
    }
    for name in ["language", "translate_to", "name", "style_preset_id"] {
        if obj.get(name).is_some_and(|v| !v.is_string()) {
            return Err(format!("{name} must be a string"));
        }
    }
    let count = |name| int_in(&obj, name, 1, u64::MAX);
    let target = count("target_clip_count")?;
    let clips = count("max_clip_count")?.or(target).unwrap_or(DEFAULT_CLIPS);
    let min = int_in(&obj, "min_duration", 1, 120)?.unwrap_or(1);
    let max = int_in(&obj, "max_duration", 1, 180)?.unwrap_or(180);
    int_in(&obj, "target_duration", 1, 120)?;
    if min > max {
        return Err(format!(
            "min_duration ({min}) is more than max_duration ({max})"
        ));
    }
    if let Some(opts) = obj.get("editing_options") {
        let Value::Object(opts) = opts else {
            return Err("editing_options must be an object".into());
        };
        for (name, v) in opts {
            if !EDITING.contains(&name.as_str()) {
                return Err(format!("editing_options has no option '{name}'"));
            }
            if !v.is_boolean() {
                return Err(format!("editing_options.{name} must be true or false"));
            }
        }
    }
    if let Some(dims) = obj.get("dimensions") {
        let Value::Object(dims) = dims else {
            return Err("dimensions must be an object".into());
        };
        if let Some(name) = dims
            .keys()
            .find(|k| !["width", "height"].contains(&k.as_str()))
        {
            return Err(format!("dimensions has no field '{name}'"));
        }
        for name in ["width", "height"] {
            int_in(dims, name, 1, 4096).map_err(|e| format!("dimensions.{e}"))?;
        }
    }
    let kind = if shorts {
        Kind::Shorts(usize::try_from(clips).unwrap_or(MAX_CLIPS).min(MAX_CLIPS))
    } else {
        Kind::Video
    };
    Ok(Order {
        kind,
        fails: url.contains("fail"),
    })
}

/// An optional integer field within `min..=max`.
fn int_in(obj: &Map<String, Value>, name: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ if max == u64::MAX => Err(format!("{name} must be an integer of at least {min}")),
            _ => Err(format!("{name} must be an integer in {min}..{max}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, Order, check};

    fn clips(body: &str) -> Kind {
        check(body, true).unwrap().kind
    }

    #[test]
    fn the_clip_count_is_max_else_target_else_ten_and_at_most_twenty() {
        let url = r#""source_video_url":"https://example.com/talk.mp4""#;
        assert_eq!(clips(&format!("{{{url}}}")), Kind::Shorts(10));
        assert_eq!(
            clips(&format!(r#"{{{url},"target_clip_count":3}}"#)),
            Kind::Shorts(3)
        );
        assert_eq!(
            clips(&format!(
                r#"{{{url},"target_clip_count":3,"max_clip_count":5}}"#
            )),
            Kind::Shorts(5)
        );
        assert_eq!(
            clips(&format!(r#"{{{url},"max_clip_count":50}}"#)),
            Kind::Shorts(20)
        );
        assert_eq!(
            check(
                r#"{"source_video_url":"http://x.example/fail.mp4","language":"en"}"#,
                false
            ),
            Ok(Order {
                kind: Kind::Video,
                fails: true
            })
        );
    }

    #[test]
    fn the_working_clients_body_is_accepted() {
        let body = r#"{"source_video_url": "https://youtu.be/x", "language": "en",
            "target_clip_count": 5, "max_clip_count": 5, "min_duration": 15, "max_duration": 60,
            "target_duration": 30, "editing_options": {"captions": true, "reframe": true,
            "emojis": true, "remove_silences": true, "intro_title": true},
            "dimensions": {"width": 1080, "height": 1920}, "name": "Talk",
            "translate_to": "es", "style_preset_id": "preset_1"}"#;
        assert_eq!(clips(body), Kind::Shorts(5));
    }

    #[test]
    fn bad_bodies_are_refused_with_a_reason() {
        let url = r#""source_video_url":"https://example.com/v.mp4""#;
        let cases = [
            ("", true, "source_video_url is required"),
            ("{nope", true, "malformed JSON"),
            ("[]", true, "malformed JSON"),
            ("{}", true, "source_video_url is required"),
            (r#"{"source_video_url":null}"#, true, "required"),
            (r#"{"source_video_url":7}"#, true, "must be a string"),
            (
                r#"{"source_video_url":"ftp://x/v.mp4"}"#,
                true,
                "http(s) URL",
            ),
            (r#"{"source_video_url":"talk.mp4"}"#, true, "http(s) URL"),
            (r#"{"source_video_url":"http://"}"#, true, "http(s) URL"),
            (&format!(r#"{{{url},"max_clips":3}}"#), true, "'max_clips'"),
            (
                &format!(r#"{{{url},"max_clip_count":0}}"#),
                true,
                "max_clip_count",
            ),
            (
                &format!(r#"{{{url},"target_clip_count":2.5}}"#),
                true,
                "target_clip_count",
            ),
            (
                &format!(r#"{{{url},"min_duration":0}}"#),
                true,
                "min_duration",
            ),
            (
                &format!(r#"{{{url},"max_duration":181}}"#),
                true,
                "max_duration",
            ),
            (
                &format!(r#"{{{url},"target_duration":121}}"#),
                true,
                "target_duration",
            ),
            (
                &format!(r#"{{{url},"min_duration":60,"max_duration":30}}"#),
                true,
                "more than",
            ),
            (
                &format!(r#"{{{url},"min_duration":120,"max_duration":30}}"#),
                true,
                "(120)",
            ),
            (
                &format!(r#"{{{url},"language":5}}"#),
                true,
                "language must be a string",
            ),
            (
                &format!(r#"{{{url},"editing_options":true}}"#),
                true,
                "an object",
            ),
            (
                &format!(r#"{{{url},"editing_options":{{"music":true}}}}"#),
                true,
                "'music'",
            ),
            (
                &format!(r#"{{{url},"editing_options":{{"emojis":1}}}}"#),
                true,
                "true or false",
            ),
            (
                &format!(r#"{{{url},"dimensions":{{"width":0,"height":9}}}}"#),
                true,
                "dimensions.width",
            ),
            (
                &format!(r#"{{{url},"dimensions":{{"depth":3}}}}"#),
                true,
                "'depth'",
            ),
            // Shorts-only fields on video-to-video.
            (
                &format!(r#"{{{url},"max_clip_count":3}}"#),
                false,
                "video-to-video does not take",
            ),
            (
                &format!(r#"{{{url},"min_duration":3}}"#),
                false,
                "'min_duration'",
            ),
        ];
        for (body, shorts, why) in cases {
            let err = check(body, shorts).expect_err(body);
            assert!(err.contains(why), "{body}: {err}");
        }
    }
}
