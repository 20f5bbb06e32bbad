//! The packaging configuration agrees with the repository: every file the Debian package and the
//! cargo-packager bundles list exists, the bundled sample is shipped whole, the desktop entry names the
//! window's app id, the icons have the sizes their names say, and the man page lists every command.
//! Building the packages themselves is `packaging/`'s scripts' job, too slow for the test suite.

#![allow(clippy::unwrap_used, reason = "test fixtures: a failure to set up is a test failure")]
#![allow(
    clippy::disallowed_methods,
    reason = "tests write their own fixtures; clippy.toml holds the library to export::files"
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest() -> toml::Table {
    let text = std::fs::read_to_string(common::repo().join("Cargo.toml")).unwrap();
    text.parse().unwrap()
}

fn metadata(manifest: &toml::Table, tool: &str) -> toml::Table {
    manifest["package"]["metadata"][tool].as_table().unwrap().clone()
}

/// The `[source, destination, mode]` triples of `[package.metadata.deb] assets`.
fn deb_assets() -> Vec<(String, String)> {
    let deb = metadata(&manifest(), "deb");
    deb["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| {
            let asset = asset.as_array().unwrap();
            (asset[0].as_str().unwrap().to_owned(), asset[1].as_str().unwrap().to_owned())
        })
        .collect()
}

/// The repository files an asset source names: itself, or the files directly inside `dir/*`.
fn asset_files(source: &str) -> Vec<PathBuf> {
    let repo = common::repo();
    match source.strip_suffix("/*") {
        Some(dir) => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(repo.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.is_file())
                .collect();
            files.sort();
            files
        }
        None => vec![repo.join(source)],
    }
}

#[test]
fn every_deb_asset_exists_except_the_built_binary() {
    let assets = deb_assets();
    assert!(assets.iter().any(|(source, dest)| source == "target/release/indicarto" && dest == "usr/bin/"));
    for (source, _) in assets.iter().filter(|(source, _)| !source.starts_with("target/")) {
        let files = asset_files(source);
        assert!(!files.is_empty(), "{source} names no file");
        for file in files {
            assert!(file.is_file(), "{source}: {} is missing", file.display());
        }
    }
}

#[test]
fn the_deb_ships_the_whole_sample_where_the_window_looks_for_it() {
    let repo = common::repo();
    // Where each repository file lands in the package.
    let mut installed = BTreeMap::new();
    for (source, dest) in deb_assets().iter().filter(|(source, _)| !source.starts_with("target/")) {
        for file in asset_files(source) {
            let target = if dest.ends_with('/') {
                format!("{dest}{}", file.file_name().unwrap().to_str().unwrap())
            } else {
                dest.clone()
            };
            installed.insert(file.strip_prefix(repo).unwrap().to_path_buf(), target);
        }
    }
    for folder in ["sample_data", "geodata"] {
        for file in common::files_under(&repo.join(folder)) {
            let relative = file.strip_prefix(repo).unwrap();
            let expected = format!("usr/share/indicarto/{}", relative.to_str().unwrap());
            assert_eq!(installed.get(relative), Some(&expected), "{} is not shipped", relative.display());
        }
    }
    for file in ["ATTRIBUTION.md", "LICENSE"] {
        assert_eq!(installed[Path::new(file)], format!("usr/share/indicarto/{file}"));
    }
    // The layout `gui::installed_sample_candidates` tries first, from /usr/bin.
    let from_bin = Path::new("usr/bin").join("../share/indicarto/sample_data/pack.toml");
    let normalised: PathBuf = from_bin.components().fold(PathBuf::new(), |mut path, part| {
        if part == std::path::Component::ParentDir {
            path.pop();
        } else {
            path.push(part);
        }
        path
    });
    assert!(installed.values().any(|dest| Path::new(dest) == normalised), "{}", normalised.display());
}

#[test]
fn every_packager_icon_and_resource_exists() {
    let repo = common::repo();
    let packager = metadata(&manifest(), "packager");
    let icons: Vec<&str> = packager["icons"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        icons.iter().any(|icon| Path::new(icon).extension().is_some_and(|ext| ext == "ico")),
        "the Windows installers need an .ico"
    );
    for icon in icons {
        assert!(repo.join(icon).is_file(), "{icon}");
    }
    for resource in packager["resources"].as_array().unwrap() {
        let source = resource["src"].as_str().unwrap();
        assert!(repo.join(source).exists(), "{source}");
        assert_eq!(resource["target"].as_str().unwrap(), source, "the sample keeps its relative layout");
    }
}

fn desktop_entry() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::repo().join("packaging/indicarto.desktop")).unwrap();
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[test]
fn the_desktop_entry_matches_the_window_and_the_icon() {
    let entry = desktop_entry();
    assert_eq!(entry["Exec"], "indicarto");
    assert_eq!(entry["Icon"], "indicarto");
    #[cfg(feature = "gui")]
    assert_eq!(entry["StartupWMClass"], indicarto::gui::APP_ID);
    #[cfg(not(feature = "gui"))]
    assert_eq!(entry["StartupWMClass"], "indicarto");
    // The name is the product's in both languages; what it is and does is said in each.
    assert_eq!(entry["Name"], "Indicarto");
    for key in ["GenericName", "Comment"] {
        assert!(entry.contains_key(key) && entry.contains_key(&format!("{key}[fr]")), "{key} in English and French");
    }
    let categories: Vec<&str> = entry["Categories"].split(';').collect();
    for category in ["Science", "Geography", "Education"] {
        assert!(categories.contains(&category), "{category}");
    }
}

#[test]
fn the_desktop_entry_validates_when_desktop_file_validate_is_installed() {
    let path = common::repo().join("packaging/indicarto.desktop");
    match Command::new("desktop-file-validate").arg(&path).output() {
        Ok(out) => {
            let report = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{report}");
            assert!(!report.contains("error:"), "{report}");
        }
        Err(_) => eprintln!("desktop-file-validate is absent (package desktop-file-utils): validation skipped"),
    }
}

#[test]
fn each_png_icon_has_the_size_its_name_says() {
    let dir = common::repo().join("assets/icon");
    let mut sizes = Vec::new();
    for path in common::files_under(&dir) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(size) = name.strip_prefix("indicarto-").and_then(|rest| rest.strip_suffix(".png")) else {
            continue;
        };
        let size: u32 = size.parse().unwrap();
        let reader = png::Decoder::new(std::fs::File::open(&path).unwrap()).read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (size, size), "{name}");
        sizes.push(size);
    }
    sizes.sort_unstable();
    assert_eq!(sizes, [16, 24, 32, 48, 64, 128, 256]);
}

#[test]
fn the_man_page_lists_every_command_of_the_help() {
    let help = Command::new(env!("CARGO_BIN_EXE_indicarto")).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|command| *command != "help")
        .collect();
    assert!(commands.len() >= 7, "{help}");
    let man = std::fs::read_to_string(common::repo().join("packaging/indicarto.1")).unwrap();
    for command in commands {
        assert!(man.contains(&format!(".B {command}\n")), "the man page does not describe `{command}`");
    }
}
