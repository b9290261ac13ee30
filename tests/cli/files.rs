//! A hostile filesystem (issue 10, items 4-6): planted symlinks, concurrent writers,
//! FIFOs and devices at the target, `-` where stdout carries the report, a terminal
//! stdout, a missing directory. Each checks what reached the disk and the server.

use std::process::Stdio;
use std::time::Duration;

use crate::batch::{Files, ex, mp4, serve};
use crate::dir_names as names;
use crate::{api, run};

#[test]
fn planted_symlinks_at_temporary_names_are_never_written_through() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let planted = [
        "e.mp4.part",
        ".e.mp4.part",
        "e.mp4.tmp",
        ".e.mp4.tmp",
        "e.mp4~",
        ".e.mp4.swp",
    ];
    for name in planted {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    for extra in [&[][..], &["--force"]] {
        let r = run(api(&router.base)
            .args(["download", "F/p/e", "-o", d])
            .args(extra));
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
        assert_eq!(std::fs::read(dir.path().join("e.mp4")).unwrap(), mp4("e"));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let mut expected: Vec<String> = planted.iter().map(ToString::to_string).collect();
        expected.push("e.mp4".into());
        expected.sort();
        assert_eq!(names(dir.path()), expected, "no temporary file left");
    }
}

#[test]
fn a_symlink_at_the_target_is_never_replaced_nor_followed() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("e.mp4");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    let t = target.to_str().unwrap();
    for args in [
        &["download", "F/p/e", "-o", t][..],
        &["download", "F/p/e", "-o", t, "--force"],
        &["wait", "F/p/e", "--download", t, "--force"],
        &["create", "F/p", "--download", t, "--force"],
    ] {
        let r = run(api(&router.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&target).unwrap().is_symlink());
}

#[test]
fn force_never_replaces_a_fifo_or_a_device() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("e.mp4");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let f = fifo.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        &["download", "F/p/e", "-o", f, "--force"][..],
        &["download", "F/p/e", "-o", d, "--force"],
        &["download", "F/p/e", "-o", f],
        &["wait", "F/p/e", "--download", f, "--force"],
        &["create", "F/p", "--download", f, "--force"],
        // /dev/null discards (r3); every other device is refused.
        &["download", "F/p/e", "-o", "/dev/zero", "--force"],
    ] {
        let r = run(api(&router.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    let r = run(api(&router.base).args(["download", "F/p/e", "-o", f, "--force"]));
    r.stderr_has(&[&format!("{f} exists and is not a regular file")]);
    assert!(router.lines().is_empty(), "{:?}", router.lines());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(names(dir.path()), ["e.mp4"]);
}

#[test]
fn two_downloads_to_one_path_never_make_a_corrupt_file() {
    for force in [false, true] {
        let router = serve(
            vec![ex("F/p/e", 0, "ready")],
            Files::Slow(Duration::from_millis(400)),
        );
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.mp4");
        let spawn = || {
            let mut cmd = crate::process_api(&router.base);
            cmd.args(["download", "F/p/e", "-o"])
                .arg(&out)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            if force {
                cmd.arg("--force");
            }
            cmd.spawn().unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
        assert!(codes.contains(&0), "{codes:?}");
        for o in &outs {
            let err = String::from_utf8_lossy(&o.stderr);
            match o.status.code() {
                Some(0) => {}
                // Lost the race: the file appeared while it downloaded, or before it began.
                Some(1) => assert!(err.contains("appeared meanwhile"), "{err}"),
                Some(2) => assert!(err.contains("already exists"), "{err}"),
                c => panic!("{c:?}: {err}"),
            }
        }
        if force {
            assert_eq!(codes, [0, 0]);
        }
        assert_eq!(std::fs::read(&out).unwrap(), mp4("e"), "force: {force}");
        assert_eq!(names(dir.path()), ["out.mp4"], "no temporary file left");
    }
}

#[test]
fn mp4_bytes_never_go_to_a_terminal_or_into_the_report() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let bin = assert_cmd::cargo::cargo_bin("klap-export");
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} download F/p/e -o -", bin.display()),
            "/dev/null",
        ])
        .env("KLAP_BASE_URL", format!("{}/v2", router.base))
        .env("KLAP_API_KEY", crate::KEY)
        .output()
        .expect("script(1) from util-linux");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{screen}");
    assert!(
        screen.contains("refusing to write MP4 bytes to a terminal"),
        "{screen}"
    );
    for args in [
        &["wait", "F/p/e", "--download", "-"][..],
        &["create", "F/p", "--download", "-"],
        &["create", "F/p", "--wait", "--download", "-"],
        &["download", "F/p/e", "F/p/e", "-o", "-"],
    ] {
        let r = run(api(&router.base).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "");
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
    // Not a terminal: the bytes go to stdout, and nothing else does.
    let out = crate::process_api(&router.base)
        .args(["download", "F/p/e", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, mp4("e"));
}

#[test]
fn a_missing_directory_is_exit_2_with_nothing_sent() {
    let router = serve(vec![ex("F/p/e", 0, "ready")], Files::Fast);
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["wait", "F/p/e", "--download", "nodir/"][..],
        &["create", "F/p", "--download", "nodir/"],
        &["download", "F/p/e", "-o", "nodir/"],
        &["download", "F/p/e", "-o", "nodir/x.mp4"],
        &["wait", "F/p/e", "--download", "nodir/x.mp4"],
        &["create", "F/p", "--download", "nodir/x.mp4"],
        &["create", "F/p", "F/q", "--download", "nodir"],
    ] {
        let r = run(api(&router.base).current_dir(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("nodir"), "{}", r.stderr);
    }
    assert!(router.lines().is_empty(), "{:?}", router.lines());
    assert!(names(dir.path()).is_empty());
}
