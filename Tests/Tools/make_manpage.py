#!/usr/bin/env python3
"""Writes logdx's man page (roff, section 1) from `logdx --experimental-dump-help` on stdin:
the same abstracts, discussions and options `--help` prints, so the page cannot drift from them.

    .build/release/logdx --experimental-dump-help | python3 Tests/Tools/make_manpage.py > logdx.1

swift-argument-parser's own `generate-manual` plugin was tried first: it rebuilds the package in
release mode inside the plugin (minutes, for `make install` and for the test that checks the page)
and writes mdoc that `man` warns about on every blank line of a multi-paragraph discussion.
"""

import json
import sys


def roff(text: str) -> str:
    """Escapes text for roff: backslashes, and a leading dot or quote that would read as a request."""
    lines = []
    for line in (text or "").replace("\\", "\\e").splitlines():
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def option_label(argument: dict) -> str:
    names = argument.get("names") or []
    spelled = []
    for name in names:
        prefix = {"short": "-", "long": "--", "longWithSingleDash": "-"}.get(name.get("kind"), "--")
        spelled.append(prefix + name.get("name", ""))
    label = ", ".join(f"\\fB{roff(s)}\\fR" for s in spelled)
    if argument.get("kind") == "positional":
        label = f"\\fI{roff(argument.get('valueName', 'value'))}\\fR"
        if argument.get("isRepeating"):
            label += "..."
    elif argument.get("kind") == "option":
        label += f" \\fI{roff(argument.get('valueName', 'value'))}\\fR"
    return label


def describe(argument: dict) -> str:
    text = argument.get("abstract", "")
    values = argument.get("allValues")
    if values:
        text += f" (one of: {', '.join(values)})"
    if argument.get("defaultValue") not in (None, ""):
        text += f" (default: {argument['defaultValue']})"
    return roff(text)


def command_section(command: dict, path: list[str], out: list[str]) -> None:
    name = " ".join(path)
    if len(path) > 1:
        out.append(f".SH {roff(name.upper())}")
        out.append(f"\\fB{roff(name)}\\fR \\(em {roff(command.get('abstract', ''))}")
    if command.get("discussion"):
        out.append(".PP")
        for paragraph in command["discussion"].split("\n\n"):
            out.append(".nf" if paragraph.startswith("Examples:") else ".fi")
            out.append(roff(paragraph))
            out.append(".PP")
        out.append(".fi")
    shown = [a for a in command.get("arguments") or [] if a.get("shouldDisplay", True)]
    if shown:
        out.append(".PP\n\\fBOptions\\fR")
    for argument in shown:
        out.append(".TP")
        out.append(option_label(argument))
        out.append(describe(argument))
    for sub in command.get("subcommands") or []:
        if sub.get("commandName") == "help":
            continue
        command_section(sub, path + [sub["commandName"]], out)


def main() -> None:
    info = json.load(sys.stdin)
    root = info["command"]
    name = root.get("commandName", "logdx")
    out = [
        f'.TH {name.upper()} 1 "" "{name}" "User Commands"',
        ".SH NAME",
        f"{name} \\- {roff(root.get('abstract', ''))}",
        ".SH SYNOPSIS",
        f"\\fB{name}\\fR [\\fIfile\\fR|\\fIdir\\fR|\\fIzip\\fR|\\fB-\\fR]...",
        ".br",
        f"\\fB{name}\\fR \\fIcommand\\fR [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
    ]
    command_section(root, [name], out)
    out.append(".SH SEE ALSO")
    out.append("The README of the logdx sources; \\fBlogdx rules explain\\fR \\fIrule\\fR for any rule.")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
