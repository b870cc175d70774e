//! Settings of what the server hands to browsers: the built files, and who may
//! call or frame them.

use std::path::PathBuf;

use clap::Args;

use super::defaults;
use crate::public_url::PublicUrl;

/// Where the widget and the console are built, and which pages and origins may use them.
#[derive(Clone, Debug, PartialEq, Args)]
pub struct WebSettings {
    /// Folder of the built widget, served at `/`.
    #[arg(long, env = "OMK_DIST", default_value = defaults::DIST, global = true)]
    pub dist: PathBuf,
    /// Folder of the built operators' console, served at `/console/`.
    #[arg(
        long,
        env = "OMK_CONSOLE_DIST",
        default_value = defaults::CONSOLE_DIST,
        global = true
    )]
    pub console_dist: PathBuf,
    /// Origins allowed to call the API from a browser (CORS); repeat the flag
    /// or separate with commas. `*` allows any origin. None: same origin only.
    #[arg(
        long = "cors-origin",
        env = "OMK_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,
    /// Pages allowed to frame the widget (CSP `frame-ancestors`), space-separated.
    #[arg(
        long,
        env = "OMK_FRAME_ANCESTORS",
        default_value = defaults::FRAME_ANCESTORS,
        global = true
    )]
    pub frame_ancestors: String,
    /// The widget's public address as phones reach it, for QR codes and
    /// calendar entries, for example `https://kiosk.example.gov.cn`. Without
    /// it, `http://` and the request's Host header are used.
    #[arg(long, env = "OMK_PUBLIC_URL", value_parser = PublicUrl::parse, global = true)]
    pub public_url: Option<PublicUrl>,
}

impl Default for WebSettings {
    fn default() -> WebSettings {
        WebSettings {
            dist: PathBuf::from(defaults::DIST),
            console_dist: PathBuf::from(defaults::CONSOLE_DIST),
            cors_origins: Vec::new(),
            frame_ancestors: defaults::FRAME_ANCESTORS.into(),
            public_url: None,
        }
    }
}
