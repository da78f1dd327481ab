mod micro;
mod monitor;
mod simulate;
