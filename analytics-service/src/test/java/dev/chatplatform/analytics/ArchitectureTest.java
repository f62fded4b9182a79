package dev.chatplatform.analytics;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.chatplatform.testkit.ArchitectureRules;

@AnalyzeClasses(packages = "dev.chatplatform.analytics", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule repositoriesArePackagePrivate = ArchitectureRules.REPOSITORIES_ARE_PACKAGE_PRIVATE;

    @ArchTest
    static final ArchRule controllersDoNotTouchRepositories = ArchitectureRules.CONTROLLERS_DO_NOT_TOUCH_REPOSITORIES;

    @ArchTest
    static final ArchRule staysInsideItsOwnPackage = ArchitectureRules.staysInsideItsOwnPackage("dev.chatplatform.analytics");
}
