package dev.distrolix.inspect.audit;

import java.util.List;

/**
 * An audit judged by a policy: the report without the ignored findings, the ignored ones, the
 * findings at or above {@code fail-on}, and the thresholds (efficiency, wasted bytes) violated.
 * A CI step fails ({@code distrolix audit} exits 4) when either list is non-empty.
 */
public record AuditVerdict(AuditReport report, List<Finding> ignored, AuditPolicy policy, List<Finding> failing,
                           List<String> violations) {
    public AuditVerdict {
        ignored = List.copyOf(ignored);
        failing = List.copyOf(failing);
        violations = List.copyOf(violations);
    }

    public boolean failed() {
        return !failing.isEmpty() || !violations.isEmpty();
    }
}
