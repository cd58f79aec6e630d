import LogDx

enum CIVersion {
    static var userAgent: String { LogDxVersion.current }
}
