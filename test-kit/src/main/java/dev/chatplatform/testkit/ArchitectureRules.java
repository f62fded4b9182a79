package dev.chatplatform.testkit;

import com.tngtech.archunit.lang.ArchRule;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layout rules every service keeps (CONVENTIONS.md). Use them from a service's {@code ArchitectureTest},
 * analysing production classes only (tests legitimately use the test kit):
 * {@code @AnalyzeClasses(packages = "dev.chatplatform.chat", importOptions = ImportOption.DoNotIncludeTests.class)}.
 */
public final class ArchitectureRules {

    /** Persistence is an implementation detail of its feature package. */
    public static final ArchRule REPOSITORIES_ARE_PACKAGE_PRIVATE = classes()
            .that().haveSimpleNameEndingWith("Repository")
            .should().notBePublic()
            .allowEmptyShould(true)
            .because("repositories belong to their feature package; other packages go through its service");

    /** Controllers talk to services, never to persistence. */
    public static final ArchRule CONTROLLERS_DO_NOT_TOUCH_REPOSITORIES = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .allowEmptyShould(true)
            .because("state changes and their events live in services, not in the web layer");

    /** A service never reaches into another service's code; it talks to it over HTTP or Kafka. */
    public static ArchRule staysInsideItsOwnPackage(String servicePackage) {
        return noClasses()
                .that().resideInAPackage(servicePackage + "..")
                .should().dependOnClassesThat(resideInAPackage("dev.chatplatform..")
                        .and(resideOutsideOfPackages(servicePackage + "..", "dev.chatplatform.contracts..",
                                "dev.chatplatform.kit..")))
                .allowEmptyShould(true)
                .because("services share contracts and the kit, nothing else");
    }

    private ArchitectureRules() {
    }
}
