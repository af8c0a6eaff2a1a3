package io.secureworkload.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dependents of the workflow by name, as the dependent factory creates them: the status reads
 * its parts from here rather than from a table kept beside the workflow. The instances are for what
 * a dependent says about itself (its part, when it is requested); the workflow's result is looked
 * up by name, since JOSDK may build a dependent more than once.
 */
public final class Envelope {

  private final Map<String, DependentResource<?, ?>> dependents = new ConcurrentHashMap<>();
  private final List<String> order;

  /**
   * @param order the dependents' names in the workflow's order, which is the order of the status
   *     conditions
   */
  public Envelope(List<String> order) {
    this.order = List.copyOf(order);
  }

  /** Called by the dependent factory for each dependent it creates. */
  public void add(DependentResource<?, ?> dependent) {
    if (!(dependent instanceof EnvelopeDependent)) {
      throw new IllegalArgumentException(
          dependent.getClass().getName() + " does not say which part it belongs to");
    }
    dependents.put(dependent.name(), dependent);
  }

  /** Each part with its dependents' names, in the workflow's order. */
  public Map<Part, List<String>> parts() {
    var parts = new LinkedHashMap<Part, List<String>>();
    for (var name : order) {
      var dependent = dependents.get(name);
      if (dependent != null) {
        parts.computeIfAbsent(part(name), p -> new ArrayList<>()).add(name);
      }
    }
    return parts;
  }

  /** What the named dependent says about itself. */
  public EnvelopeDependent describe(String name) {
    var dependent = dependents.get(name);
    if (dependent == null) {
      throw new IllegalArgumentException("No dependent named " + name + " was created");
    }
    return (EnvelopeDependent) dependent;
  }

  /** The third-party CRDs some dependent needs. */
  public List<CrdBacked> crdBacked() {
    return order.stream()
        .map(dependents::get)
        .filter(CrdBacked.class::isInstance)
        .map(CrdBacked.class::cast)
        .toList();
  }

  private Part part(String name) {
    return describe(name).part();
  }
}
