//===- PostProcessor.cpp - tokenizer.json post-processors (single input) ---===//
//
// What --add-special adds: TemplateProcessing's `single` template, Roberta/
// Bert's cls ... sep, Sequence of these; ByteLevel changes offsets only.
//
//===----------------------------------------------------------------------===//

#include "Internal.h"

namespace tfc {
namespace tokenizer {

namespace {

class SequenceProcessor : public PostProcessor {
public:
  std::vector<std::unique_ptr<PostProcessor>> steps;
  void process(std::vector<int64_t> &ids) const override {
    for (const auto &step : steps)
      step->process(ids);
  }
};

class TemplateProcessor : public PostProcessor {
public:
  // The template as runs of ids with a -1 marking where the sequence goes.
  std::vector<int64_t> single;
  void process(std::vector<int64_t> &ids) const override {
    std::vector<int64_t> out;
    for (int64_t id : single)
      if (id < 0)
        out.insert(out.end(), ids.begin(), ids.end());
      else
        out.push_back(id);
    ids = std::move(out);
  }
};

int64_t idOf(const Json &pair, const Where &where) {
  // ["<s>", 0]
  if (!pair.is_array() || pair.size() != 2 || !pair[1].is_number_integer())
    where.fail("expected [token, id]");
  return pair[1].get<int64_t>();
}

} // namespace

std::unique_ptr<PostProcessor>
makePostProcessor(const Json &json, const Where &where,
                  const std::unordered_map<std::string, int64_t> &) {
  if (json.is_null())
    return nullptr;
  std::string type = stringMember(json, "type", where);
  if (type == "Sequence") {
    auto sequence = std::make_unique<SequenceProcessor>();
    const Json &list = member(json, "processors", where);
    if (!list.is_array())
      where.at("processors").fail("expected an array");
    for (size_t i = 0; i < list.size(); ++i)
      if (auto step = makePostProcessor(list[i], where.at("processors").at(i),
                                        {}))
        sequence->steps.push_back(std::move(step));
    return sequence;
  }
  if (type == "ByteLevel")
    return nullptr;
  if (type == "TemplateProcessing") {
    auto processor = std::make_unique<TemplateProcessor>();
    const Json &single = member(json, "single", where);
    const Json &special = member(json, "special_tokens", where);
    if (!single.is_array())
      where.at("single").fail("expected an array of pieces");
    for (size_t i = 0; i < single.size(); ++i) {
      Where at = where.at("single").at(i);
      const Json &piece = single[i];
      if (piece.contains("Sequence")) {
        processor->single.push_back(-1);
      } else if (piece.contains("SpecialToken")) {
        std::string name =
            stringMember(piece["SpecialToken"], "id", at.at("SpecialToken"));
        if (!special.is_object() || !special.contains(name))
          at.fail("special token '" + name +
                  "' is not in post_processor.special_tokens");
        const Json &ids =
            member(special[name], "ids", where.at("special_tokens").at(name));
        if (!ids.is_array())
          where.at("special_tokens").at(name).fail("ids: expected an array");
        for (const Json &id : ids) {
          if (!id.is_number_integer())
            where.at("special_tokens").at(name).fail("ids: expected integers");
          processor->single.push_back(id.get<int64_t>());
        }
      } else {
        at.fail("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
      }
    }
    return processor;
  }
  if (type == "RobertaProcessing" || type == "BertProcessing") {
    auto processor = std::make_unique<TemplateProcessor>();
    processor->single = {idOf(member(json, "cls", where), where.at("cls")), -1,
                         idOf(member(json, "sep", where), where.at("sep"))};
    return processor;
  }
  where.at("type").fail("unsupported post_processor type '" + type +
                        "' (supported: TemplateProcessing, ByteLevel, "
                        "RobertaProcessing, BertProcessing, Sequence)");
}

} // namespace tokenizer
} // namespace tfc
