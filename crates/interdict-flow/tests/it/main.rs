mod monitor;
mod simulate;
