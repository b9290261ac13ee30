//! `GET /projects/{folder_id}`: shorts made up from the folder ID, the same on every run.
//! Any folder has six; the folder of a shorts task has the number it asked for.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

/// Any folder's projects take the first six; a task's folder repeats them past the
/// twelfth, so two of its projects can have one name, as real ones do.
const TITLES: [&str; 12] = [
    "The hook everyone quotes",
    "Three mistakes to avoid",
    "The surprising answer",
    "Behind the scenes",
    "Why this works",
    "The one-minute summary",
    // A name that is no file name as it stands.
    "Before/after: the fix",
    "What nobody tells you",
    "The numbers behind it",
    "A question from the audience",
    "Start here",
    "The moment it clicked",
];

/// The projects of a folder, in the API's (unsorted) order. Folders whose ID starts
/// with `empty` have none, as a folder right after its task finished.
pub fn of_folder(folder: &str) -> Vec<Value> {
    if folder.starts_with("empty") {
        return Vec::new();
    }
    made_up(folder, 6, false)
}

/// The `count` projects of a shorts task's folder: some scores null, some projects with
/// the `publication_captions` clients post with.
pub fn of_task(folder: &str, count: usize) -> Vec<Value> {
    made_up(folder, count, true)
}

/// The project a video-to-video task makes: no folder, no score.
pub fn of_video(id: &str, created: SystemTime) -> Value {
    json!({
        "id": id,
        "author_id": "sandbox_user",
        "folder_id": null,
        "name": "Captioned video",
        "created_at": humantime::format_rfc3339_seconds(created).to_string(),
        "virality_score": null,
        "duration": 61.5,
    })
}

fn made_up(folder: &str, count: usize, task: bool) -> Vec<Value> {
    let mut rng = fastrand::Rng::with_seed(fnv1a(folder));
    // Project IDs keep to the 128-character ID rule however long the folder ID is.
    let stem: String = folder.chars().take(100).collect();
    // 2024-05-06T09:00:00Z
    let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_714_986_000);
    (1..=count)
        .map(|i| {
            let title = TITLES[(i - 1) % TITLES.len()];
            let score = f64::from(rng.u32(5..=99)) / 100.0;
            let created = base + Duration::from_secs(420 * i as u64 + rng.u64(0..60));
            let mut project = json!({
                "id": format!("{stem}_p{i}"),
                "author_id": "sandbox_user",
                "folder_id": folder,
                "name": title,
                "created_at": humantime::format_rfc3339_seconds(created).to_string(),
                "virality_score": score,
                "virality_score_explanation": explain(score),
                "duration": f64::from(rng.u32(150..600)) / 10.0,
            });
            if task {
                if i % 5 == 4 {
                    project["virality_score"] = Value::Null;
                    project["virality_score_explanation"] = Value::Null;
                }
                if i % 3 == 1 {
                    project["publication_captions"] = captions(title);
                }
            // The API leaves scores out or null while it has none: show both.
            } else if i == 4 {
                project["virality_score"] = Value::Null;
                project["virality_score_explanation"] = Value::Null;
            } else if i == 6
                && let Some(fields) = project.as_object_mut()
            {
                fields.remove("virality_score");
                fields.remove("virality_score_explanation");
            }
            project
        })
        .collect()
}

fn captions(title: &str) -> Value {
    json!({
        "tiktok": format!("{title} #shorts #learnontiktok"),
        "youtube": format!("{title} #shorts"),
        "linkedin": format!("{title}. The full talk is linked in the comments."),
        "instagram": format!("{title} #reels"),
    })
}

fn explain(score: f64) -> &'static str {
    if score >= 0.7 {
        "Strong hook in the first 3 seconds."
    } else if score >= 0.4 {
        "Clear payoff, but a slow start."
    } else {
        "The point comes late; viewers may scroll on."
    }
}

/// A stable hash (std's `DefaultHasher` may change between releases).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
