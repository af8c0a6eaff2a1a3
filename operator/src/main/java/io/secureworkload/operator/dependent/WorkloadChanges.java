package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.secureworkload.operator.api.SecureWorkload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What one reconciliation changed in a workload's parts. The dependents note each change here while
 * the workflow runs, and the reconciler tells them all in one Event at its end: a person reads one
 * Event per change of the workload, not one per object it is made of.
 */
public final class WorkloadChanges {

  private static final String CONTEXT_KEY = "secureworkload.io/changes";

  /** What happened to an object; an Event lists them in this order. */
  public enum Kind {
    REPAIRED("Repaired changes made outside the operator to"),
    CREATED("Created"),
    UPDATED("Updated"),
    DELETED("Deleted, as the spec no longer asks for them:");

    private final String heading;

    Kind(String heading) {
      this.heading = heading;
    }
  }

  /**
   * @param dependent the name of the dependent that made the change, which orders the list
   * @param object what people call the object, for example "NetworkPolicy shop-egress"
   * @param detail what a person should know beyond the object's name, or null
   */
  public record Change(Kind kind, String dependent, String object, String detail) {

    /** The object as an Event names it, with the detail in parentheses. */
    String described() {
      return detail == null ? object : object + " (" + detail + ")";
    }
  }

  // Dependents that do not wait for each other run at the same time.
  private final Queue<Change> changes = new ConcurrentLinkedQueue<>();

  private WorkloadChanges() {}

  /** Starts an empty list for the reconciliation about to run its workflow. */
  public static WorkloadChanges startIn(Context<SecureWorkload> context) {
    var changes = new WorkloadChanges();
    context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, changes);
    return changes;
  }

  /** The list of this reconciliation, started here if the reconciler did not. */
  public static WorkloadChanges in(Context<SecureWorkload> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(CONTEXT_KEY, WorkloadChanges.class)
        .orElseGet(() -> startIn(context));
  }

  public void add(Kind kind, String dependent, String object, String detail) {
    changes.add(new Change(kind, dependent, object, detail));
  }

  public List<Change> all() {
    return List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public boolean any(Kind kind) {
    return changes.stream().anyMatch(change -> change.kind() == kind);
  }

  /** The same list without the changes of this kind. */
  public WorkloadChanges except(Kind kind) {
    var rest = new WorkloadChanges();
    changes.stream().filter(change -> change.kind() != kind).forEach(rest.changes::add);
    return rest;
  }

  /**
   * One sentence per kind of change, for example "Repaired changes made outside the operator to
   * NetworkPolicy shop-ingress, NetworkPolicy shop-egress."
   *
   * @param dependentOrder the dependents' names in the workflow's order, the order of the objects
   *     within a sentence
   */
  public String describe(List<String> dependentOrder) {
    var byKind = new EnumMap<Kind, List<Change>>(Kind.class);
    changes.stream()
        .sorted(Comparator.comparingInt(change -> dependentOrder.indexOf(change.dependent())))
        .forEach(
            change -> byKind.computeIfAbsent(change.kind(), k -> new ArrayList<>()).add(change));
    return byKind.entrySet().stream()
        .map(
            group ->
                group.getKey().heading
                    + " "
                    + group.getValue().stream()
                        .map(Change::described)
                        .collect(Collectors.joining(", "))
                    + ".")
        .collect(Collectors.joining(" "));
  }
}
