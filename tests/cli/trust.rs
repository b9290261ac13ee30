//! Trust, round 3: pinned localhost, resumes that never splice, redirects of a create,
//! refs that share an export ID, encodings, URLs shown without userinfo, and plain words
//! for transport failures.

use serde_json::json;

use crate::script::{Router, answer_json};
use crate::{api, run};

#[test]
fn localhost_with_a_trailing_dot_and_any_case_is_loopback() {
    let router = Router::serve(|_, _| answer_json(200, &json!([])));
    let port = router.base.rsplit(':').next().unwrap().to_string();
    for host in ["LOCALHOST.", "LocalHost"] {
        let r = run(api("unused")
            .env("KLAP_BASE_URL", format!("http://{host}:{port}/v2"))
            .args(["list", "--json"]));
        assert_eq!(r.code, 0, "{host}: {}", r.stderr);
        assert_eq!(r.stdout.trim(), "[]");
    }
    assert_eq!(router.count("GET /v2/exports"), 2);
}
