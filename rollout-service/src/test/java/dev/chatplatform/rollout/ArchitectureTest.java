package dev.chatplatform.rollout;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.chatplatform.testkit.ArchitectureRules;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.chatplatform.rollout", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule repositoriesArePackagePrivate = ArchitectureRules.REPOSITORIES_ARE_PACKAGE_PRIVATE;

    @ArchTest
    static final ArchRule controllersDoNotTouchRepositories = ArchitectureRules.CONTROLLERS_DO_NOT_TOUCH_REPOSITORIES;

    /** The kit's rule, plus flags-client: rollout-service evaluates with the very library every service uses. */
    @ArchTest
    static final ArchRule staysInsideItsOwnPackage = noClasses()
            .that().resideInAPackage("dev.chatplatform.rollout..")
            .should().dependOnClassesThat(resideInAPackage("dev.chatplatform..")
                    .and(resideOutsideOfPackages("dev.chatplatform.rollout..", "dev.chatplatform.contracts..",
                            "dev.chatplatform.kit..", "dev.chatplatform.flags..")))
            .because("services share contracts, the kit and flags-client, nothing else");
}
