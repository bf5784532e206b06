//! `erbij serve --oidc-issuer ...`: sets a school's sign-in with its OpenID provider at start,
//! for operators who configure by flags or variables rather than on the settings page.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use erbij_core::Platform;

#[derive(Debug, Clone, clap::Args)]
pub struct OidcArgs {
    /// School sign-in: the provider's issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0 [env: ERBIJ_OIDC_ISSUER]
    #[arg(long, value_name = "URL")]
    oidc_issuer: Option<String>,
    /// School sign-in: erbij's client id at the provider [env: ERBIJ_OIDC_CLIENT_ID]
    #[arg(long, value_name = "ID")]
    oidc_client_id: Option<String>,
    /// School sign-in: a file holding the client secret (kept out of the process list) [env: ERBIJ_OIDC_CLIENT_SECRET_FILE]
    #[arg(long, value_name = "FILE")]
    oidc_client_secret_file: Option<PathBuf>,
    /// School sign-in: the school (name or id) when the installation has several
    #[arg(long, value_name = "SCHOOL")]
    oidc_school: Option<String>,
    /// School sign-in: create a teacher account for an unknown address of the school
    #[arg(long)]
    oidc_create_accounts: bool,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl OidcArgs {
    /// Saves the school's sign-in settings when the flags (or variables) ask for it.
    pub fn apply(&self, platform: &Platform) -> Result<()> {
        let issuer = self
            .oidc_issuer
            .clone()
            .or_else(|| env("ERBIJ_OIDC_ISSUER"));
        let client_id = self
            .oidc_client_id
            .clone()
            .or_else(|| env("ERBIJ_OIDC_CLIENT_ID"));
        let secret_file = self
            .oidc_client_secret_file
            .clone()
            .or_else(|| env("ERBIJ_OIDC_CLIENT_SECRET_FILE").map(PathBuf::from));
        let (issuer, client_id, secret_file) = match (issuer, client_id, secret_file) {
            (None, None, None) => return Ok(()),
            (Some(i), Some(c), Some(s)) => (i, c, s),
            _ => bail!(
                "school sign-in needs all three of --oidc-issuer, --oidc-client-id and --oidc-client-secret-file"
            ),
        };
        let secret = std::fs::read_to_string(&secret_file).with_context(|| {
            format!(
                "cannot read the client secret from {}",
                secret_file.display()
            )
        })?;
        let school = platform
            .operator_configure_sign_in(
                self.oidc_school.as_deref(),
                (&issuer, &client_id, secret.trim()),
                self.oidc_create_accounts,
            )
            .map_err(|e| match e {
                erbij_core::auth::SettingsError::Access(erbij_core::AccessError::NotFound) => {
                    anyhow::anyhow!(
                        "school sign-in: name the school with --oidc-school (there is not exactly one)"
                    )
                }
                other => anyhow::anyhow!("school sign-in: {other}"),
            })?;
        println!(
            "School sign-in for \"{}\" uses {issuer}. Staff sign in at /login/oidc?school={}",
            school.name, school.id.0
        );
        Ok(())
    }
}
