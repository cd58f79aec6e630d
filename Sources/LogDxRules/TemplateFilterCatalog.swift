/// The filters a rule may write after `|` in a placeholder, with the arguments each takes: with
/// the rules, so the validator can check a rule without the engine that computes the filters
/// (`TemplateFilters`).
enum TemplateFilterCatalog {
    /// Every filter a rule may use, with the arguments it takes (nil: none).
    static let known: [String: [String]] = [
        "nearest": PackageRegistry.allCases.map(\.rawValue),
    ]

    /// Why a filter is not one of the known ones, or nil when it is.
    static func problem(with filter: Template.Filter) -> String? {
        guard let arguments = known[filter.name] else {
            return "unknown filter '\(filter.name)' (known: \(known.keys.sorted().joined(separator: ", ")))"
        }
        guard let argument = filter.argument, arguments.contains(argument) else {
            return "filter '\(filter.name)' needs one of \(arguments.joined(separator: ", ")) after ':', e.g. '|\(filter.name):\(arguments[0])'"
        }
        return nil
    }
}
