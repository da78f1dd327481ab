//! `interdict user`: users with roles, passwords hashed with argon2, API tokens; and the
//! check that whoever changes something is a user with the role it needs.

use std::io::{BufRead, Write};

use anyhow::{Context, Result, bail};
use argon2::Argon2;
use interdict_store::{Store, User};
use password_hash::rand_core::{OsRng, RngCore};
use password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

use crate::cli::{CasesCommand, Command, FreezeCommand, SuppressCommand, UserCommand};

/// Roles in order of what they may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Analyst,
    Supervisor,
    Administrator,
}

impl Role {
    pub(crate) fn of(name: &str) -> Option<Role> {
        match name {
            "analyst" => Some(Role::Analyst),
            "supervisor" => Some(Role::Supervisor),
            "administrator" => Some(Role::Administrator),
            _ => None,
        }
    }
}

/// The role a command needs from its `--as` user, once users exist; none for reading.
pub fn role_needed(command: &Command) -> Option<Role> {
    match command {
        Command::Ingest(_) | Command::Derive(_) => Some(Role::Supervisor),
        Command::Suppress {
            command: SuppressCommand::Add { .. } | SuppressCommand::Remove { .. },
        } => Some(Role::Analyst),
        Command::Freeze { command } => match command {
            FreezeCommand::Propose(_) | FreezeCommand::Unblock { .. } => Some(Role::Analyst),
            FreezeCommand::Approve { .. }
            | FreezeCommand::Reject { .. }
            | FreezeCommand::ApproveUnblock { .. }
            | FreezeCommand::RejectUnblock { .. } => Some(Role::Supervisor),
            FreezeCommand::List { .. } | FreezeCommand::Report { .. } => None,
        },
        Command::Report { .. } => Some(Role::Analyst),
        // Alerts and cases hold customers' data and suspicions: even reading them takes a
        // proven user, and a tip's submitter a supervisor.
        Command::Customers { .. } | Command::Rescreen(_) | Command::Alerts { .. } => {
            Some(Role::Analyst)
        }
        Command::Monitor(args) if args.inbox => Some(Role::Analyst),
        Command::Screen(args) if args.inbox => Some(Role::Analyst),
        Command::Cases { command } => match command {
            CasesCommand::Contact { .. } => Some(Role::Supervisor),
            _ => Some(Role::Analyst),
        },
        // `user` checks for itself: the first user is added by nobody.
        _ => None,
    }
}

/// Refuses unless no users exist yet (a store used by one person) or `actor` is an enabled
/// user, proves it (`INTERDICT_TOKEN`, one of its API tokens, or `INTERDICT_PASSWORD`), and
/// has at least the role `need`.
pub async fn authorize(store: &dyn Store, actor: &str, need: Role) -> Result<()> {
    let users = store.users().await?;
    if users.is_empty() {
        return Ok(());
    }
    let Some(user) = users.iter().find(|u| u.name == actor) else {
        bail!("{actor:?} is not a user of this store: name one with --as");
    };
    if user.disabled {
        bail!("{actor} is disabled: an administrator must enable them again");
    }
    prove(store, user).await?;
    let role = Role::of(&user.role).unwrap_or(Role::Analyst);
    if role < need {
        let need = format!("{need:?}").to_lowercase();
        bail!(
            "{actor} is {} and may not do this: it needs the {need} role",
            user.role
        );
    }
    Ok(())
}

/// Whether the caller is `user`: a token of theirs in `INTERDICT_TOKEN`, else their
/// password in `INTERDICT_PASSWORD`.
async fn prove(store: &dyn Store, user: &User) -> Result<()> {
    if let Ok(token) = std::env::var("INTERDICT_TOKEN") {
        let owner = store.token_user(&token_hash(token.trim())).await?;
        return match owner {
            Some(owner) if owner.name == user.name => Ok(()),
            _ => bail!("INTERDICT_TOKEN is not a token of {}", user.name),
        };
    }
    let Ok(password) = std::env::var("INTERDICT_PASSWORD") else {
        bail!(
            "{}: prove who you are with INTERDICT_TOKEN (an API token) or INTERDICT_PASSWORD",
            user.name
        );
    };
    if !password_matches(user, &password) {
        bail!("wrong password for {}", user.name);
    }
    Ok(())
}

fn password_matches(user: &User, password: &str) -> bool {
    PasswordHash::new(&user.password_hash).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

pub async fn run(
    store: &dyn Store,
    actor: &str,
    command: UserCommand,
    out: &mut impl Write,
) -> Result<()> {
    let disabling = matches!(command, UserCommand::Disable { .. });
    match command {
        UserCommand::Add { name, role, agency } => {
            if store.users().await?.is_empty() {
                if role != "administrator" {
                    bail!("the first user must be an administrator");
                }
            } else {
                authorize(store, actor, Role::Administrator).await?;
            }
            let password = read_password()?;
            let hash = hash_password(&password)?;
            let stored = store
                .add_user(&User {
                    name,
                    role,
                    agency,
                    password_hash: hash,
                    created_at: String::new(),
                    disabled: false,
                })
                .await?;
            writeln!(out, "user {} added ({})", stored.name, stored.role)?;
        }
        UserCommand::List { json } => {
            let users = store.users().await?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&users)?)?;
            }
            for u in users.iter().filter(|_| !json) {
                writeln!(out, "{}  {}  {}", u.name, u.role, u.agency)?;
            }
        }
        UserCommand::Token { name, label } => {
            let need = if actor == name {
                Role::Analyst
            } else {
                Role::Administrator
            };
            authorize(store, actor, need).await?;
            let token = new_token();
            store.add_token(&name, &token_hash(&token), &label).await?;
            writeln!(out, "{token}")?;
        }
        UserCommand::Disable { name } | UserCommand::Enable { name } => {
            let disabled = disabling;
            if disabled && name == actor {
                bail!("{actor} cannot disable themself: another administrator must");
            }
            authorize(store, actor, Role::Administrator).await?;
            let user = store.set_user_disabled(&name, disabled).await?;
            let state = if user.disabled { "disabled" } else { "enabled" };
            writeln!(out, "{} ({}) {state}", user.name, user.role)?;
        }
        UserCommand::Check { name } => {
            let password = read_password()?;
            let users = store.users().await?;
            let user = users.iter().find(|u| u.name == name);
            let matches = user.is_some_and(|u| password_matches(u, &password));
            if !matches {
                bail!("wrong user or password");
            }
            writeln!(out, "password matches for {name}")?;
        }
    }
    Ok(())
}

/// A password's argon2 PHC string, once it is long enough (12 characters or more).
pub(crate) fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 12 {
        bail!("a password needs 12 characters or more");
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?
        .to_string())
}

/// A new API token: `itk_` and 64 hex digits, shown once and stored only as its hash.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("itk_{}", hex::encode(bytes))
}

/// What the store keeps of a token, and looks it up by: its SHA-256.
pub(crate) fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The first line of standard input, without its line end.
fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
