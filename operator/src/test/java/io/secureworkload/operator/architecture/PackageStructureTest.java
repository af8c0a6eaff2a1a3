package io.secureworkload.operator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The structure drawing of docs/architecture.md, enforced: packages only point down, and no two
 * packages depend on each other.
 */
class PackageStructureTest {

  private static final String ROOT = "io.secureworkload.operator";

  /**
   * The operator's own classes, from where the build put them: ArchUnit's own test filter knows
   * only the conventional build directories, and the build directory can be moved (BUILD_DIR).
   */
  private static final JavaClasses MAIN = new ClassFileImporter().importPath(mainClasses());

  private static java.nio.file.Path mainClasses() {
    try {
      return java.nio.file.Path.of(
          io.secureworkload.operator.SecureWorkloadOperator.class
              .getProtectionDomain()
              .getCodeSource()
              .getLocation()
              .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void packagesOnlyPointDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Operator")
        .definedBy(ROOT)
        .layer("Metrics")
        .definedBy(ROOT + ".metrics..")
        .layer("Reconciler")
        .definedBy(ROOT + ".reconciler..")
        .layer("Dependent")
        .definedBy(ROOT + ".dependent..")
        .layer("Outcome")
        .definedBy(ROOT + ".outcome..")
        .layer("Guardrail")
        .definedBy(ROOT + ".guardrail..")
        .layer("Aws")
        .definedBy(ROOT + ".aws..")
        .layer("Iam")
        .definedBy(ROOT + ".iam..")
        .layer("AwsCall")
        .definedBy(ROOT + ".awscall..")
        .layer("Model")
        .definedBy(ROOT + ".api..", ROOT + ".config..", ROOT + ".thirdparty..")
        .whereLayer("Operator")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Metrics")
        .mayOnlyBeAccessedByLayers("Operator")
        .whereLayer("Reconciler")
        .mayOnlyBeAccessedByLayers("Operator")
        .whereLayer("Dependent")
        .mayOnlyBeAccessedByLayers("Reconciler", "Operator")
        .whereLayer("Aws")
        .mayOnlyBeAccessedByLayers("Operator")
        .whereLayer("Outcome")
        .mayOnlyBeAccessedByLayers("Dependent", "Reconciler", "Operator")
        .whereLayer("Guardrail")
        .mayOnlyBeAccessedByLayers("Dependent", "Reconciler", "Operator")
        .whereLayer("Iam")
        .mayOnlyBeAccessedByLayers(
            "Aws", "Outcome", "Guardrail", "Dependent", "Reconciler", "Operator")
        .whereLayer("AwsCall")
        .mayOnlyBeAccessedByLayers(
            "Iam", "Aws", "Outcome", "Guardrail", "Dependent", "Reconciler", "Operator")
        .check(MAIN);
  }

  @Test
  void theModelKnowsNothingAboveIt() {
    noClasses()
        .that()
        .resideInAnyPackage(ROOT + ".api..", ROOT + ".config..", ROOT + ".thirdparty..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT,
            ROOT + ".metrics..",
            ROOT + ".reconciler..",
            ROOT + ".dependent..",
            ROOT + ".outcome..",
            ROOT + ".guardrail..",
            ROOT + ".aws..",
            ROOT + ".iam..",
            ROOT + ".awscall..")
        .check(MAIN);
  }

  @Test
  void noCycleBetweenPackages() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheAwsAdapterTalksToTheAwsSdkServices() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".aws..", ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon.awssdk.services..", "software.amazon.awssdk.core..")
        .check(MAIN);
  }

  @Test
  void onlyThePodIdentityAdapterKnowsTheEksModel() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(ROOT + ".aws.AwsPodIdentityAssociations")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("software.amazon.awssdk.services.eks.model..")
        .check(MAIN);
  }
}
