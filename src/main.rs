use clap::Parser;

fn main() -> std::process::ExitCode {
    orepress::cli::run(orepress::cli::Cli::parse())
}
