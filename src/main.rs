use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use needlelog::cli::{Cli, Output, open_app, run};
use needlelog::text::for_terminal;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = if cli.wants_app() {
        open_app(cli).map(|()| Output::default())
    } else {
        run(cli, Some(Box::new(std::io::stdout())))
    };
    match outcome {
        Ok(output) => {
            print(&output);
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(output) = e.output() {
                print(output);
            }
            eprintln!("error: {}", for_terminal(&e.to_string()));
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

fn print(output: &Output) {
    for warning in &output.warnings {
        eprintln!("warning: {}", for_terminal(warning));
    }
    let mut stdout = std::io::stdout().lock();
    // Stored text is shown, never obeyed; data (JSON, exports) passes exactly.
    let text =
        if output.exact { std::borrow::Cow::Borrowed(output.stdout.as_str()) } else { for_terminal(&output.stdout) };
    // A closed pipe (`needlelog list | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    if !output.stdout.is_empty() && !output.stdout.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
}
