"""The NeurIPS paper checklist as the official template states it (data only).

Source: the NeurIPS 2026 LaTeX style files, ``checklist.tex`` (questions and guidelines) and
``neurips_2026.sty`` dated 2026-01-29 (the answer macros). NeurIPS asks authors not to modify the
questions, so the question text and guidelines below are the template's own LaTeX, unchanged; the
exported checklist and the wizard's checklist prompts are both made from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATE = "NeurIPS 2026 paper checklist (checklist.tex and neurips_2026.sty of 2026-01-29)"

# The answer macros exactly as neurips_2026.sty defines them ("For the paper checklist").
STYLE_MACROS = (
    r"\newcommand{\answerYes}[1][]{\textcolor{blue}{[Yes]#1}}",
    r"\newcommand{\answerNo}[1][]{\textcolor{orange}{[No]#1}}",
    r"\newcommand{\answerNA}[1][]{\textcolor{gray}{[N/A]#1}}",
    r"\newcommand{\answerTODO}[1][]{\textcolor{red}{\bf [TODO]}}",
    r"\newcommand{\justificationTODO}[1][]{\textcolor{red}{\bf [TODO]}}",
)
ANSWER_MACROS = {"yes": r"\answerYes{}", "no": r"\answerNo{}", "na": r"\answerNA{}", None: r"\answerTODO{}"}
PRINTED = {"yes": "[Yes]", "no": "[No]", "na": "[N/A]", None: "[TODO]"}  # what each macro typesets
REPLACE_COMMENT = r"% Replace by \answerYes{}, \answerNo{}, or \answerNA{}."


@dataclass(frozen=True)
class Item:
    id: str  # the answer's question id in the neurips-broader-impact questionnaire
    title: str  # the item's heading, as in the template
    question: str  # LaTeX, as in the template
    guidelines: tuple[str, ...]  # the template's guideline block, one LaTeX line each

    @property
    def plain_question(self) -> str:
        return plain(self.question)


def plain(tex: str) -> str:
    """The few LaTeX constructs of the questions as plain text (for the wizard's prompts)."""
    text = re.sub(r"\\(?:url|emph)\{([^{}]*)\}", r"\1", tex)
    return text.replace("``", "\u201c").replace("''", "\u201d").replace(r"\slash ", "/").replace("--", "\u2013")


ITEMS: tuple[Item, ...] = (
    Item(
        "cl_claims",
        "Claims",
        r"Do the main claims made in the abstract and introduction accurately reflect the paper's contributions and scope?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the abstract and introduction do not include the claims made in the paper.',
            r'\item The abstract and/or introduction should clearly state the claims made, including the contributions made in the paper and important assumptions and limitations. A \answerNo{} or \answerNA{} answer to this question will not be perceived well by the reviewers.',
            r'\item The claims made should match theoretical and experimental results, and reflect how much the results can be expected to generalize to other settings.',
            r'\item It is fine to include aspirational goals as motivation as long as it is clear that these goals are not attained by the paper.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_limitations",
        "Limitations",
        "Does the paper discuss the limitations of the work performed by the authors?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper has no limitation while the answer \answerNo{} means that the paper has limitations, but those are not discussed in the paper.',
            r"\item The authors are encouraged to create a separate ``Limitations'' section in their paper.",
            r'\item The paper should point out any strong assumptions and how robust the results are to violations of these assumptions (e.g., independence assumptions, noiseless settings, model well-specification, asymptotic approximations only holding locally). The authors should reflect on how these assumptions might be violated in practice and what the implications would be.',
            r'\item The authors should reflect on the scope of the claims made, e.g., if the approach was only tested on a few datasets or with a few runs. In general, empirical results often depend on implicit assumptions, which should be articulated.',
            r'\item The authors should reflect on the factors that influence the performance of the approach. For example, a facial recognition algorithm may perform poorly when image resolution is low or images are taken in low lighting. Or a speech-to-text system might not be used reliably to provide closed captions for online lectures because it fails to handle technical jargon.',
            r'\item The authors should discuss the computational efficiency of the proposed algorithms and how they scale with dataset size.',
            r'\item If applicable, the authors should discuss possible limitations of their approach to address problems of privacy and fairness.',
            r"\item While the authors might fear that complete honesty about limitations might be used by reviewers as grounds for rejection, a worse outcome might be that reviewers discover limitations that aren't acknowledged in the paper. The authors should use their best judgment and recognize that individual actions in favor of transparency play an important role in developing norms that preserve the integrity of the community. Reviewers will be specifically instructed to not penalize honesty concerning limitations.",
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_theory",
        "Theory assumptions and proofs",
        "For each theoretical result, does the paper provide the full set of assumptions and a complete (and correct) proof?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not include theoretical results.',
            r'\item All the theorems, formulas, and proofs in the paper should be numbered and cross-referenced.',
            r'\item All assumptions should be clearly stated or referenced in the statement of any theorems.',
            r'\item The proofs can either appear in the main paper or the supplemental material, but if they appear in the supplemental material, the authors are encouraged to provide a short proof sketch to provide intuition.',
            r'\item Inversely, any informal proof provided in the core of the paper should be complemented by formal proofs provided in appendix or supplemental material.',
            r'\item Theorems and Lemmas that the proof relies upon should be properly referenced.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_reproducibility",
        "Experimental result reproducibility",
        "Does the paper fully disclose all the information needed to reproduce the main experimental results of the paper to the extent that it affects the main claims and/or conclusions of the paper (regardless of whether the code and data are provided or not)?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not include experiments.',
            r'\item If the paper includes experiments, a \answerNo{} answer to this question will not be perceived well by the reviewers: Making the paper reproducible is important, regardless of whether the code and data are provided or not.',
            r'\item If the contribution is a dataset and\slash or model, the authors should describe the steps taken to make their results reproducible or verifiable.',
            r'\item Depending on the contribution, reproducibility can be accomplished in various ways. For example, if the contribution is a novel architecture, describing the architecture fully might suffice, or if the contribution is a specific model and empirical evaluation, it may be necessary to either make it possible for others to replicate the model with the same dataset, or provide access to the model. In general. releasing code and data is often one good way to accomplish this, but reproducibility can also be provided via detailed instructions for how to replicate the results, access to a hosted model (e.g., in the case of a large language model), releasing of a model checkpoint, or other means that are appropriate to the research performed.',
            r'\item While NeurIPS does not require releasing code, the conference does require all submissions to provide some reasonable avenue for reproducibility, which may depend on the nature of the contribution. For example',
            r'\begin{enumerate}',
            r'\item If the contribution is primarily a new algorithm, the paper should make it clear how to reproduce that algorithm.',
            r'\item If the contribution is primarily a new model architecture, the paper should describe the architecture clearly and fully.',
            r'\item If the contribution is a new model (e.g., a large language model), then there should either be a way to access this model for reproducing the results or a way to reproduce the model (e.g., with an open-source dataset or instructions for how to construct the dataset).',
            r'\item We recognize that reproducibility may be tricky in some cases, in which case authors are welcome to describe the particular way they provide for reproducibility. In the case of closed-source models, it may be that access to the model is limited in some way (e.g., to registered users), but it should be possible for other researchers to have some path to reproducing or verifying the results.',
            r'\end{enumerate}',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_open_access",
        "Open access to data and code",
        "Does the paper provide open access to the data and code, with sufficient instructions to faithfully reproduce the main experimental results, as described in supplemental material?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that paper does not include experiments requiring code.',
            r'\item Please see the NeurIPS code and data submission guidelines (\url{https://neurips.cc/public/guides/CodeSubmissionPolicy}) for more details.',
            r'\item While we encourage the release of code and data, we understand that this might not be possible, so \answerNo{} is an acceptable answer. Papers cannot be rejected simply for not including code, unless this is central to the contribution (e.g., for a new open-source benchmark).',
            r'\item The instructions should contain the exact command and environment needed to run to reproduce the results. See the NeurIPS code and data submission guidelines (\url{https://neurips.cc/public/guides/CodeSubmissionPolicy}) for more details.',
            r'\item The authors should provide instructions on data access and preparation, including how to access the raw data, preprocessed data, intermediate data, and generated data, etc.',
            r'\item The authors should provide scripts to reproduce all experimental results for the new proposed method and baselines. If only a subset of experiments are reproducible, they should state which ones are omitted from the script and why.',
            r'\item At submission time, to preserve anonymity, the authors should release anonymized versions (if applicable).',
            r'\item Providing as much information as possible in supplemental material (appended to the paper) is recommended, but including URLs to data and code is permitted.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_experimental_details",
        "Experimental setting/details",
        "Does the paper specify all the training and test details (e.g., data splits, hyperparameters, how they were chosen, type of optimizer) necessary to understand the results?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not include experiments.',
            r'\item The experimental setting should be presented in the core of the paper to a level of detail that is necessary to appreciate the results and make sense of them.',
            r'\item The full details can be provided either with the code, in appendix, or as supplemental material.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_significance",
        "Experiment statistical significance",
        "Does the paper report error bars suitably and correctly defined or other appropriate information about the statistical significance of the experiments?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not include experiments.',
            r'\item The authors should answer \answerYes{} if the results are accompanied by error bars, confidence intervals, or statistical significance tests, at least for the experiments that support the main claims of the paper.',
            r'\item The factors of variability that the error bars are capturing should be clearly stated (for example, train/test split, initialization, random drawing of some parameter, or overall run with given experimental conditions).',
            r'\item The method for calculating the error bars should be explained (closed form formula, call to a library function, bootstrap, etc.)',
            r'\item The assumptions made should be given (e.g., Normally distributed errors).',
            r'\item It should be clear whether the error bar is the standard deviation or the standard error of the mean.',
            r'\item It is OK to report 1-sigma error bars, but one should state it. The authors should preferably report a 2-sigma error bar than state that they have a 96\% CI, if the hypothesis of Normality of errors is not verified.',
            r'\item For asymmetric distributions, the authors should be careful not to show in tables or figures symmetric error bars that would yield results that are out of range (e.g., negative error rates).',
            r'\item If error bars are reported in tables or plots, the authors should explain in the text how they were calculated and reference the corresponding figures or tables in the text.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_compute",
        "Experiments compute resources",
        "For each experiment, does the paper provide sufficient information on the computer resources (type of compute workers, memory, time of execution) needed to reproduce the experiments?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not include experiments.',
            r'\item The paper should indicate the type of compute workers CPU or GPU, internal cluster, or cloud provider, including relevant memory and storage.',
            r'\item The paper should provide the amount of compute required for each of the individual experimental runs as well as estimate the total compute.',
            r"\item The paper should disclose whether the full research project required more compute than the experiments reported in the paper (e.g., preliminary or failed experiments that didn't make it into the paper).",
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_code_of_ethics",
        "Code of ethics",
        r'Does the research conducted in the paper conform, in every respect, with the NeurIPS Code of Ethics \url{https://neurips.cc/public/EthicsGuidelines}?',
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the authors have not reviewed the NeurIPS Code of Ethics.',
            r'\item If the authors answer \answerNo, they should explain the special circumstances that require a deviation from the Code of Ethics.',
            r'\item The authors should make sure to preserve anonymity (e.g., if there is a special consideration due to laws or regulations in their jurisdiction).',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_broader_impacts",
        "Broader impacts",
        "Does the paper discuss both potential positive societal impacts and negative societal impacts of the work performed?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that there is no societal impact of the work performed.',
            r'\item If the authors answer \answerNA{} or \answerNo, they should explain why their work has no societal impact or why the paper does not address societal impact.',
            r'\item Examples of negative societal impacts include potential malicious or unintended uses (e.g., disinformation, generating fake profiles, surveillance), fairness considerations (e.g., deployment of technologies that could make decisions that unfairly impact specific groups), privacy considerations, and security considerations.',
            r'\item The conference expects that many papers will be foundational research and not tied to particular applications, let alone deployments. However, if there is a direct path to any negative applications, the authors should point it out. For example, it is legitimate to point out that an improvement in the quality of generative models could be used to generate Deepfakes for disinformation. On the other hand, it is not needed to point out that a generic algorithm for optimizing neural networks could enable people to train models that generate Deepfakes faster.',
            r'\item The authors should consider possible harms that could arise when the technology is being used as intended and functioning correctly, harms that could arise when the technology is being used as intended but gives incorrect results, and harms following from (intentional or unintentional) misuse of the technology.',
            r'\item If there are negative societal impacts, the authors could also discuss possible mitigation strategies (e.g., gated release of models, providing defenses in addition to attacks, mechanisms for monitoring misuse, mechanisms to monitor how a system learns from feedback over time, improving the efficiency and accessibility of ML).',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_safeguards",
        "Safeguards",
        "Does the paper describe safeguards that have been put in place for responsible release of data or models that have a high risk for misuse (e.g., pre-trained language models, image generators, or scraped datasets)?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper poses no such risks.',
            r'\item Released models that have a high risk for misuse or dual-use should be released with necessary safeguards to allow for controlled use of the model, for example by requiring that users adhere to usage guidelines or restrictions to access the model or implementing safety filters.',
            r'\item Datasets that have been scraped from the Internet could pose safety risks. The authors should describe how they avoided releasing unsafe images.',
            r'\item We recognize that providing effective safeguards is challenging, and many papers do not require this, but we encourage authors to take this into account and make a best faith effort.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_licenses",
        "Licenses for existing assets",
        "Are the creators or original owners of assets (e.g., code, data, models), used in the paper, properly credited and are the license and terms of use explicitly mentioned and properly respected?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not use existing assets.',
            r'\item The authors should cite the original paper that produced the code package or dataset.',
            r'\item The authors should state which version of the asset is used and, if possible, include a URL.',
            r'\item The name of the license (e.g., CC-BY 4.0) should be included for each asset.',
            r'\item For scraped data from a particular source (e.g., website), the copyright and terms of service of that source should be provided.',
            r'\item If assets are released, the license, copyright information, and terms of use in the package should be provided. For popular datasets, \url{paperswithcode.com/datasets} has curated licenses for some datasets. Their licensing guide can help determine the license of a dataset.',
            r'\item For existing datasets that are re-packaged, both the original license and the license of the derived asset (if it has changed) should be provided.',
            r"\item If this information is not available online, the authors are encouraged to reach out to the asset's creators.",
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_new_assets",
        "New assets",
        "Are new assets introduced in the paper well documented and is the documentation provided alongside the assets?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not release new assets.',
            r'\item Researchers should communicate the details of the dataset\slash code\slash model as part of their submissions via structured templates. This includes details about training, license, limitations, etc.',
            r'\item The paper should discuss whether and how consent was obtained from people whose asset is used.',
            r'\item At submission time, remember to anonymize your assets (if applicable). You can either create an anonymized URL or include an anonymized zip file.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_human_subjects",
        "Crowdsourcing and research with human subjects",
        "For crowdsourcing experiments and research with human subjects, does the paper include the full text of instructions given to participants and screenshots, if applicable, as well as details about compensation (if any)?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not involve crowdsourcing nor research with human subjects.',
            r'\item Including this information in the supplemental material is fine, but if the main contribution of the paper involves human subjects, then as much detail as possible should be included in the main paper.',
            r'\item According to the NeurIPS Code of Ethics, workers involved in data collection, curation, or other labor should be paid at least the minimum wage in the country of the data collector.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_irb",
        "Institutional review board (IRB) approvals or equivalent for research with human subjects",
        "Does the paper describe potential risks incurred by study participants, whether such risks were disclosed to the subjects, and whether Institutional Review Board (IRB) approvals (or an equivalent approval/review based on the requirements of your country or institution) were obtained?",
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the paper does not involve crowdsourcing nor research with human subjects.',
            r'\item Depending on the country in which research is conducted, IRB approval (or equivalent) may be required for any human subjects research. If you obtained IRB approval, you should clearly state this in the paper.',
            r'\item We recognize that the procedures for this may vary significantly between institutions and locations, and we expect authors to adhere to the NeurIPS Code of Ethics and the guidelines for their institution.',
            r'\item For initial submissions, do not include any information that would break anonymity (if applicable), such as the institution conducting the review.',
            r'\end{itemize}',
        ),
    ),
    Item(
        "cl_llm_usage",
        "Declaration of LLM usage",
        r'Does the paper describe the usage of LLMs if it is an important, original, or non-standard component of the core methods in this research? Note that if the LLM is used only for writing, editing, or formatting purposes and does \emph{not} impact the core methodology, scientific rigor, or originality of the research, declaration is not required.',
        (
            r'\begin{itemize}',
            r'\item The answer \answerNA{} means that the core method development in this research does not involve LLMs as any important, original, or non-standard components.',
            r'\item Please refer to our LLM policy in the NeurIPS handbook for what should or should not be described.',
            r'\end{itemize}',
        ),
    ),
)
