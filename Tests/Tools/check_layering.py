#!/usr/bin/env python3
"""make test: the engine's targets depend on each other one way only.

Package.swift lists the targets bottom-up, so a target may depend only on targets listed before
it. SwiftPM refuses a cycle, but not an `import` of a sibling the target does not declare (it
compiles when the sibling happens to be built first), so this reads every source file's imports
and checks them against the declared dependencies, and checks that only the PCRE2, Vectorscan,
Decompression and LibcurlLoader modules import the C libraries. Prints each target's imports; exits 1 on the first kind of
violation found in any file."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
C_MODULES = {"CPCRE2": "PCRE2", "CVectorscan": "Vectorscan", "CInflate": "Decompression", "CZstd": "Decompression",
             "CLibcurl": "LibcurlLoader"}


def targets(package):
    """(name, declared dependencies on the package's own targets) in Package.swift's order."""
    found = []
    for match in re.finditer(r'\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"(\w+)"', package):
        # The target's arguments run to the next target declaration.
        rest = package[match.end():]
        # A plugin declaration ends the target before it too, or its tool would count as the
        # target's own dependency.
        following = re.search(r'\.(?:target|executableTarget|systemLibrary|testTarget|plugin)\(', rest)
        body = rest[: following.start()] if following else rest
        deps_match = re.search(r'dependencies:\s*\[(.*?)\]\s*(?:,\s*\w+:|\))', body, re.S)
        deps = re.findall(r'(?<![\w:])\s*"(\w+)"', re.sub(r'\.product\([^)]*\)', "", deps_match.group(1))) if deps_match else []
        found.append((match.group(1), deps))
    return found


def imports(directory):
    """{module: [file, ...]} for every `import` in the Swift files under directory."""
    result = {}
    for folder, _, files in os.walk(directory):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    match = re.match(r'\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)', line)
                    if match:
                        result.setdefault(match.group(1), []).append(os.path.relpath(path, ROOT))
    return result


def main():
    with open(os.path.join(ROOT, "Package.swift"), encoding="utf-8") as handle:
        package = handle.read()
    order = targets(package)
    position = {name: index for index, (name, _) in enumerate(order)}
    problems = []
    for index, (name, deps) in enumerate(order):
        for dep in deps:
            if dep in position and position[dep] >= index:
                problems.append(f"{name} depends on {dep}, which Package.swift lists after it")
        source = os.path.join(ROOT, "Sources", name)
        if not os.path.isdir(source):
            continue
        used = imports(source)
        own = sorted(module for module in used if module in position)
        print(f"{name}: {', '.join(own) if own else '(no project modules)'}")
        for module, files in sorted(used.items()):
            if module in C_MODULES and C_MODULES[module] != name:
                problems.append(f"{files[0]} imports {module}; only {C_MODULES[module]} may")
            elif module in position and module not in deps:
                problems.append(f"{files[0]} imports {module}, which {name} does not declare as a dependency")
    for problem in problems:
        print(f"layering: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
