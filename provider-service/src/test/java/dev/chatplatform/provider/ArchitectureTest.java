package dev.chatplatform.provider;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.chatplatform.testkit.ArchitectureRules;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Production classes only: tests may use the test kit. */
@AnalyzeClasses(packages = "dev.chatplatform.provider", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule repositoriesArePackagePrivate = ArchitectureRules.REPOSITORIES_ARE_PACKAGE_PRIVATE;

    @ArchTest
    static final ArchRule controllersDoNotTouchRepositories = ArchitectureRules.CONTROLLERS_DO_NOT_TOUCH_REPOSITORIES;

    /** The kit's rule, plus flags-client: flags are evaluated with the library every service uses. */
    @ArchTest
    static final ArchRule staysInsideItsOwnPackage = noClasses()
            .that().resideInAPackage("dev.chatplatform.provider..")
            .should().dependOnClassesThat(resideInAPackage("dev.chatplatform..")
                    .and(resideOutsideOfPackages("dev.chatplatform.provider..", "dev.chatplatform.contracts..",
                            "dev.chatplatform.kit..", "dev.chatplatform.flags..")))
            .because("services share contracts, the kit and flags-client, nothing else");

    /** Adapters plug in behind ChatProvider; the endpoint never names one. */
    @ArchTest
    static final ArchRule completionDoesNotKnowConcreteProviders = noClasses()
            .that().resideInAPackage("..provider.completion..")
            .should().dependOnClassesThat().resideInAPackage("..provider.simulated..");
}
