// The engine is split into one module per stage so the compiler keeps their arrows one way
// (see Package.swift); clients still see one library.
@_exported import LogDxModel
@_exported import LogDxRedaction
@_exported import LogDxRules
@_exported import LogDxIngest
@_exported import LogDxTokenize
@_exported import LogDxExcerpt
@_exported import LogDxConfig
@_exported import LogDxCorrelate
@_exported import LogDxExplain
@_exported import LogDxDiagnose
@_exported import LogDxReport
@_exported import LogDxCheck
