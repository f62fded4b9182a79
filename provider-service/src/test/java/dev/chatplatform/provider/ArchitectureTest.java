package dev.chatplatform.provider;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.chatplatform.testkit.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Production classes only: tests may use the test kit. */
@AnalyzeClasses(packages = "dev.chatplatform.provider", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule repositoriesArePackagePrivate = ArchitectureRules.REPOSITORIES_ARE_PACKAGE_PRIVATE;

    @ArchTest
    static final ArchRule controllersDoNotTouchRepositories = ArchitectureRules.CONTROLLERS_DO_NOT_TOUCH_REPOSITORIES;

    @ArchTest
    static final ArchRule staysInsideItsOwnPackage = ArchitectureRules.staysInsideItsOwnPackage("dev.chatplatform.provider");

    /** Adapters plug in behind ChatProvider; the endpoint never names one. */
    @ArchTest
    static final ArchRule completionDoesNotKnowConcreteProviders = noClasses()
            .that().resideInAPackage("..provider.completion..")
            .should().dependOnClassesThat().resideInAPackage("..provider.simulated..");
}
