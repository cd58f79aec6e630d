/// State kept per job while lines stream in, indexed by job.
///
/// A state is moved out while a line is handled and moved back after. Copied out instead, the
/// container's reference would make the first write copy every buffer in the state, for every line.
package struct PerJobState<State> {
    private var states: [State?] = []
    private let make: () -> State

    package init(_ make: @escaping () -> State) {
        self.make = make
    }

    /// Moves the job's state out (a new one the first time); give it back with `put`.
    package mutating func take(_ job: Int) -> State {
        if job >= states.count { states.append(contentsOf: repeatElement(nil, count: job - states.count + 1)) }
        var state: State?
        swap(&state, &states[job])
        return state ?? make()
    }

    package mutating func put(_ state: State, for job: Int) {
        states[job] = state
    }

    /// Changes every job's state in place.
    package mutating func updateEach(_ body: (inout State) -> Void) {
        for job in states.indices {
            guard var state = states[job] else { continue }
            states[job] = nil
            body(&state)
            states[job] = state
        }
    }

    package subscript(job: Int) -> State? {
        job < states.count ? states[job] : nil
    }
}
