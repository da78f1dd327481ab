//! `interdict suppress`: decided false positives, kept per customer.

use std::io::Write;

use anyhow::{Result, bail};
use interdict_store::{Store, Suppression};

use crate::cli::SuppressCommand;

pub async fn run(store: &dyn Store, command: SuppressCommand, out: &mut impl Write) -> Result<()> {
    match command {
        SuppressCommand::Add {
            customer,
            entity,
            reason,
            by,
        } => {
            if store.entity_statements(&entity).await?.is_empty() {
                bail!("no entity {entity:?} in the store (ids look like ofac-6861)");
            }
            let stored = store
                .add_suppression(&Suppression {
                    customer_id: customer,
                    entity_id: entity,
                    reason,
                    decided_by: by,
                    decided_at: String::new(),
                })
                .await?;
            writeln!(
                out,
                "{} is no longer raised for customer {} (decided by {} at {})",
                stored.entity_id, stored.customer_id, stored.decided_by, stored.decided_at
            )?;
        }
        SuppressCommand::List { customer, json } => {
            let found = store.suppressions(customer.as_deref()).await?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
            } else if found.is_empty() {
                writeln!(out, "no suppressions")?;
            } else {
                for s in found {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}",
                        s.customer_id, s.entity_id, s.decided_at, s.decided_by, s.reason
                    )?;
                }
            }
        }
        SuppressCommand::Remove { customer, entity } => {
            if !store.remove_suppression(&customer, &entity).await? {
                bail!("no suppression of {entity} for customer {customer}");
            }
            writeln!(out, "{entity} is raised for customer {customer} again")?;
        }
    }
    Ok(())
}
